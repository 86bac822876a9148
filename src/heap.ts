import { setFlagsFromString } from "node:v8";

/**
 * Imported first by main.ts, before any other module, so it holds for the whole start-up.
 *
 * Start-up allocates a lot that lives on (modules, Prisma's data model, the config, the
 * catalogs), and V8 answers a high survival rate by doubling its young generation, up to
 * 2 × 16 MB. An idle bot never needs it again, yet V8 kept it: ~40 MB of an idle bot's memory
 * (bench/ footprint, idle RSS on a PGlite restart 254 → 214 MB). So the young generation keeps its
 * initial size while the bot starts, and may grow again once it is running (`startupDone`): a
 * busy bot gets the same young generation as before, so throughput is unchanged. V8 reads this
 * flag each time it decides to grow, so setting it at run time works. A `--semi-space-*` flag
 * given to node by hand is left alone.
 */
const chosenByHand = process.execArgv.some((a) => a.startsWith("--semi-space") || a.startsWith("--max-semi-space"));
if (!chosenByHand) setFlagsFromString("--semi-space-growth-factor=1");

/** The bot is listening: the young generation may grow again under load (V8's default factor). */
export function startupDone(): void {
  if (!chosenByHand) setFlagsFromString("--semi-space-growth-factor=2");
}
