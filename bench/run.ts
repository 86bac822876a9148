/**
 * `npm run bench`: measures what users feel, each figure beside its floor (the same work done the
 * simplest way, on the same machine, in the same run), prints a table and writes
 * bench/results/latest.json. Benchmarks, not tests: they never fail on timing (exit 0 even when a
 * target is missed; exit 1 only when a part could not run at all).
 *
 *   npm run bench                                  every part, full length (publishable)
 *   npm run bench -- --only votes,scale --quick    some parts, short (bench/results/quick.json)
 *   npm run bench -- --scales 50,500 --duration 10 --votes 5000
 */
import { join } from "node:path";
import { BUDGET_S, estimateS, PARTS, type BenchContext, type BenchOptions, type PartName } from "./lib/context";
import { LoadSampler, machine } from "./lib/machine";
import { serverVersion } from "./lib/pg";
import { mergeResults, Report, table, writeResults, type RunTiming } from "./lib/report";
import { runAck } from "./parts/ack";
import { runDiscord } from "./parts/discord";
import { runFanout } from "./parts/fanout";
import { runFootprint } from "./parts/footprint";
import { runReplicas } from "./parts/replicas";
import { runLocale } from "./parts/locale";
import { runRoadmap } from "./parts/roadmap";
import { runScale } from "./parts/scale";
import { runSlackSurfaces } from "./parts/slack-surfaces";
import { runVotes } from "./parts/votes";
import { runWeb } from "./parts/web";
import { updateReadme } from "./readme";

type Part = (ctx: BenchContext) => Promise<void>;
const parts: Record<PartName, Part> = {
  ack: runAck,
  votes: runVotes,
  scale: runScale,
  fanout: runFanout,
  footprint: runFootprint,
  replicas: runReplicas,
  locale: runLocale,
  roadmap: runRoadmap,
  web: runWeb,
  discord: runDiscord,
  "slack-surfaces": runSlackSurfaces,
};

const USAGE = `Usage: npm run bench -- [--only ${PARTS.join(",")}] [--quick] [--duration <s>] [--scales <n,n>] [--votes <n>] [--out <file>] [--no-readme] [--merge <full results file>]`;

export function parseArgs(argv: string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`--${name} needs a value`);
    return v;
  };
  const known = new Set(["--quick", "--only", "--duration", "--scales", "--votes", "--out", "--no-readme", "--merge", "--help"]);
  argv.forEach((a, i) => {
    if (a.startsWith("--") && !known.has(a)) throw new Error(`unknown option ${a}`);
    if (!a.startsWith("--") && !(i > 0 && ["--only", "--duration", "--scales", "--votes", "--out", "--merge"].includes(argv[i - 1]))) throw new Error(`unexpected argument ${a}`);
  });
  const only = (value("only")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [...PARTS]) as PartName[];
  const bad = only.find((p) => !PARTS.includes(p));
  if (bad) throw new Error(`unknown part "${bad}" (parts: ${PARTS.join(", ")})`);
  const positive = (name: string, fallback: number, max: number) => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number from 1 to ${max}`);
    return n;
  };
  const scales = value("scales")
    ?.split(",")
    .map((s) => Number(s.trim()));
  if (scales?.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) throw new Error("--scales takes community counts from 1 to 10000, e.g. 50,500");
  return {
    quick,
    only,
    // 3 s slices (ack, replicas, roadmap, web, discord, slack-surfaces) keep everything but scale
    // within half of BUDGET_S: 150–600 requests a slice, enough for a p99 that repeats within its noise.
    durationS: positive("duration", 3, 120),
    scales: scales ?? (quick ? [50, 500] : [50, 500, 5000]),
    votes: Math.round(positive("votes", quick ? 500 : 1_000, 100_000)),
    out: value("out") ?? join(__dirname, "results", quick ? "quick.json" : "latest.json"),
    merge: value("merge"),
    // Only a full run of every part, written to latest.json, is published in the README.
    readme: !quick && !argv.includes("--no-readme") && value("out") === undefined && PARTS.every((p) => only.includes(p)),
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: BenchOptions;
  try {
    options = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const startedAt = new Date();
  const m = machine(await serverVersion());
  process.stdout.write(
    `Flywheel benchmarks${options.quick ? " (quick)" : ""}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.versions.postgresql}, load ${m.loadStart.join(" ")}\n`,
  );
  const sampler = new LoadSampler();
  sampler.start();
  const report = new Report({ cores: m.cpus, sampler });
  let failed = 0;
  const partsDone: string[] = [];
  const resultOptions = { ...options, out: undefined };
  const selected = PARTS.filter((p) => options.only.includes(p));
  const timing: RunTiming = { elapsedS: {}, estimatedS: Object.fromEntries(selected.map((p) => [p, Math.round(estimateS(p, options))])), totalElapsedS: 0, totalEstimatedS: 0, budgetS: BUDGET_S };
  timing.totalEstimatedS = Object.values(timing.estimatedS).reduce((a, b) => a + b, 0);
  process.stdout.write(`Estimated ${timing.totalEstimatedS} s on a quiet 2-core machine (${selected.map((p) => `${p} ${timing.estimatedS[p]}`).join(", ")})${selected.length === PARTS.length && !options.quick ? `; budget ${BUDGET_S} s` : ""}\n`);
  for (const name of selected) {
    const part = parts[name];
    process.stdout.write(`\n[${name}]\n`);
    const t = Date.now();
    report.measuring();
    try {
      await part({ options, report, log: (line) => process.stdout.write(`  ${line}\n`) });
    } catch (e) {
      failed++;
      const why = e instanceof Error ? e.message : String(e);
      report.skip(name, `failed: ${why}`);
      if (process.env.BENCH_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    }
    timing.elapsedS[name] = Math.round((Date.now() - t) / 1000);
    timing.totalElapsedS = Math.round((Date.now() - startedAt.getTime()) / 1000);
    process.stdout.write(`  (${timing.elapsedS[name]} s; estimated ${timing.estimatedS[name]} s)\n`);
    partsDone.push(name);
    writeResults(options.out, m, report, resultOptions, startedAt, { partsDone, complete: false, timing });
  }
  sampler.stop();
  process.stdout.write(`\n${table(report.figures)}\n`);
  timing.totalElapsedS = Math.round((Date.now() - startedAt.getTime()) / 1000);
  writeResults(options.out, m, report, resultOptions, startedAt, { partsDone, complete: true, timing });
  const overloadedFigures = report.figures.filter((f) => f.notCompared).length;
  process.stdout.write(
    `\nElapsed ${timing.totalElapsedS} s (estimated ${timing.totalEstimatedS} s${selected.length === PARTS.length && !options.quick ? `, budget ${BUDGET_S} s` : ""}). ` +
      `Load average ${m.loadStart.join(" ")} → ${m.loadEnd?.join(" ")}${overloadedFigures ? `; ${overloadedFigures} figures measured with the load above ${m.cpus} cores are not compared` : ""}. Results: ${options.out}\n`,
  );
  if (options.merge) {
    mergeResults(options.merge, options.out, options.only);
    process.stdout.write(`${options.merge}: the figures of ${options.only.join(", ")} replaced with these.\n`);
  }
  if (options.readme) {
    updateReadme(options.out);
    process.stdout.write("README.md: the Performance section shows these results.\n");
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
