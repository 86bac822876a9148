import type { Services } from "../core/context";

/** Where a CLI command writes, and how it reaches the database. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Services of the running bot (admin endpoint) or of a database opened for this command. */
  services(): Promise<Services>;
}
