import type { Services } from "../core/context";

/** Where a CLI command writes, and how it reaches the database. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Where progress bars draw: the terminal's stderr when the CLI runs on its own. */
  progress?: NodeJS.WritableStream;
  /** Names the database the command works on (no password), and whether through the running bot. */
  database: string;
  /** Services of the running bot (admin endpoint) or of a database opened for this command. */
  services(): Promise<Services>;
}
