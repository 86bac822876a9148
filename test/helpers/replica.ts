import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { PlatformStandIn } from "./platform-standin";
import type { Store } from "./store";

export interface Replica {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  /** SIGKILL, as a crash or the OOM killer would: no stop hooks run. */
  kill(): Promise<void>;
}

/** Starts a replica in its own process (tsx runs the TypeScript, as `npm run dev` does). */
export function spawnReplica(store: Store, standIn: PlatformStandIn, now: string, configYaml: string): Replica {
  const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), join(__dirname, "..", "fixtures", "replica.ts")], {
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      FLYWHEEL_REPLICA: JSON.stringify({ databaseUrl: store.databaseUrl, dataDir: store.dataDir, now, standIn: standIn.url, configYaml }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
    void exited.then(() => reject(new Error(`replica exited early: ${stderr}`)));
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
