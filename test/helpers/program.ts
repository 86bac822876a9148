import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer } from "node:net";

/** The test runner's environment without anything that would point a spawned bot elsewhere. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DISCORD_|GITHUB_|DATABASE_URL|PORT|DATA_DIR|FLYWHEEL_|NODE_OPTIONS|NODE_ENV)/.test(k)));
}

/** A port nothing listens on right now, for a program that must be found on its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Collects a child's stdout and waits for text to appear in it. */
export function watch(child: ChildProcessWithoutNullStreams) {
  let out = "";
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString();
    for (const w of [...waiters]) {
      const m = out.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  return {
    get text() {
      return out;
    },
    waitFor(re: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
      const m = out.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output so far:\n${out}`)), ms);
        waiters.push({ re, resolve: (x) => (clearTimeout(timer), resolve(x)) });
      });
    },
  };
}

/** Stops a spawned bot the way a terminal or a container does (SIGTERM), SIGKILL if it lingers. */
export { stop as stopChild } from "../../bench/lib/proc";
