import { runCli } from "./program";

/** The `flywheel` binary. */
void runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  // Loaded only for `start`: the other commands never need the bot.
  start: async (env, opts) => (await import("../main")).startBot(env, opts),
})
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    process.stderr.write(`flywheel: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
