import { clearLine, cursorTo, type Interface } from "node:readline";

/**
 * The terminal shared by the prompt and everything that prints while the person types
 * (notifications from the outbox). Text printed while the prompt waits goes above it, and the
 * prompt is drawn again with whatever was half-typed, so nothing draws over the input.
 */
export class ShellScreen {
  private rl?: Interface;
  private waiting = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  /** The prompt now owns the last line; print() keeps it there. */
  attach(rl: Interface): void {
    this.rl = rl;
  }

  detach(): void {
    this.rl = undefined;
    this.waiting = false;
  }

  /** Shows the prompt and notes that the person may be typing. */
  prompt(): void {
    if (!this.rl) return;
    this.waiting = true;
    this.rl.prompt(true);
  }

  /** A command is running: its answer comes before the next prompt. */
  busy(): void {
    this.waiting = false;
  }

  print(text: string): void {
    const line = text.replace(/^\n+|\n+$/g, "");
    if (!this.rl || !this.waiting) {
      this.out.write(`${line}\n`);
      return;
    }
    if ((this.out as { isTTY?: boolean }).isTTY) {
      clearLine(this.out, 0);
      cursorTo(this.out, 0);
    } else this.out.write("\n");
    this.out.write(`${line}\n`);
    this.rl.prompt(true);
  }
}
