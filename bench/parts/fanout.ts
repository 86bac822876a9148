/**
 * Part 4 — fan-out: 500 digest posts queued in the outbox (50 communities × their last 10
 * weeks: ten posts for each community's channel), delivered by the built bot's outbox worker
 * through the real Slack deliverer to a Web API stand-in that enforces Slack's one message per
 * second per channel (429 + Retry-After). The floor is what that limit imposes: a channel's
 * tenth message cannot leave before 9 s after its first. Wall time runs from the first post to
 * the last; every post is checked: none lost, none twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { postDigest } from "../../src/core/digest/digest";
import { lastCompleteWeek, previousWeek, type Week } from "../../src/core/weeks";
import { openDatabase } from "../../src/db/client";
import type { BenchContext } from "../lib/context";
import { benchDbName, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, startNode, type Running } from "../lib/proc";
import { SlackStandin } from "../lib/slack-standin";
import { summarize } from "../lib/stats";
import { benchConfig, benchServices, writeConfigFile } from "../lib/world";
import { freshSeeded } from "../seed";

const DB = benchDbName("flywheel_bench_fanout");
const COMMUNITIES = 50;
const WEEKS = 10;
const PER_CHANNEL_MS = 1000;

export async function runFanout(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  const standin = new SlackStandin(PER_CHANNEL_MS);
  await standin.listen();
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-fanout-"));
  let bot: Running | undefined;
  try {
    const config = benchConfig(COMMUNITIES);
    const configPath = writeConfigFile(work, config);
    const { url } = await freshSeeded(DB, { communities: COMMUNITIES });

    // Queue the digests as the scheduler would (claimed once per community and week), bot stopped.
    const database = await openDatabase({ url });
    let expected: string[] = [];
    try {
      const services = benchServices(database, config);
      const communities = await database.prisma.community.findMany({ orderBy: { id: "asc" } });
      const weeks: Week[] = [lastCompleteWeek(services.clock.now(), "UTC")];
      while (weeks.length < WEEKS) weeks.push(previousWeek(weeks[weeks.length - 1]));
      for (const week of weeks.reverse())
        for (const c of communities) {
          const outcome = await postDigest(services, c, week, "bench");
          if (outcome.kind !== "posted") throw new Error(`${c.slug} ${week.label}: ${outcome.kind}, expected a digest to post`);
        }
      expected = (await database.prisma.outboxMessage.findMany({ where: { status: "pending" }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey);
    } finally {
      await database.close();
    }
    const perChannel = COMMUNITIES ? expected.length / COMMUNITIES : 0;
    const floorMs = (Math.max(...countBy(expected.map((k) => k.split(":").slice(-1)[0])).values()) - 1) * PER_CHANNEL_MS;
    ctx.log(`${expected.length} digest posts queued for ${COMMUNITIES} channels (${perChannel} each); the limit allows them in ${floorMs / 1000} s`);

    bot = await startNode(BOT, botEnv(work, configPath, url, {
      SLACK_BOT_TOKEN: "xoxb-bench-fanout",
      SLACK_SIGNING_SECRET: "bench-fanout-signing-secret",
      SLACK_API_URL: standin.apiUrl
    }), work);

    // Until every row is delivered (or dead), bounded: five times the floor plus a minute.
    const pool = new Pool({ connectionString: url, max: 1 });
    const deadline = Date.now() + floorMs * 5 + 60_000;
    let left: { pending: number; dead: number } = { pending: expected.length, dead: 0 };
    try {
      while (Date.now() < deadline) {
        const { rows } = await pool.query<{ pending: string; dead: string }>(
          `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'dead') AS dead FROM "OutboxMessage"`,
        );
        left = { pending: Number(rows[0].pending), dead: Number(rows[0].dead) };
        if (!left.pending) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // A late duplicate would show up now.
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      await pool.end();
    }

    const keys = standin.posted.map((p) => p.key ?? "");
    const seen = countBy(keys);
    const lost = expected.filter((k) => !seen.has(k)).length;
    const duplicates = [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    const times = standin.posted.map((p) => p.at);
    // Time between a channel's consecutive posts: the limit makes it at least 1 s.
    const gaps: number[] = [];
    const byChannel = new Map<string, number[]>();
    for (const p of standin.posted) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p.at]);
    for (const ts of byChannel.values()) for (let i = 1; i < ts.length; i++) gaps.push(ts[i] - ts[i - 1]);
    const gap = summarize(gaps);
    const starts = summarize([...byChannel.values()].map((ts) => ts[0] - Math.min(...times)));
    ctx.log(`gap between a channel's posts: p50 ${gap.p50.toFixed(0)} ms, p90 ${gap.p90.toFixed(0)} ms, max ${gap.max.toFixed(0)} ms; first post per channel after the first overall: p50 ${starts.p50.toFixed(0)} ms, max ${starts.max.toFixed(0)} ms`);
    const wallMs = times.length ? Math.max(...times) - Math.min(...times) : NaN;
    ctx.log(`delivered ${standin.posted.length} posts in ${(wallMs / 1000).toFixed(1)} s; ${standin.rejected.length} answered 429; ${left.pending} pending, ${left.dead} dead`);
    ctx.report.add({
      part: "fanout",
      name: `${expected.length} digest posts, first to last`,
      unit: "s",
      value: wallMs / 1000,
      floor: floorMs / 1000,
      floorName: "1 message/s per channel",
      better: "lower",
      target: { of: "ratio", max: 1.1, text: "≤ 1.1× floor" },
      details: { channels: COMMUNITIES, perChannel, rateLimited: standin.rejected.length, pending: left.pending, dead: left.dead, gapMs: gap, firstPostMs: starts },
    });
    ctx.report.add({ part: "fanout", name: "posts lost", unit: "posts", value: lost + left.dead, better: "lower", target: { of: "value", max: 0, text: "0" } });
    ctx.report.add({ part: "fanout", name: "posts duplicated", unit: "posts", value: duplicates, better: "lower", target: { of: "value", max: 0, text: "0" } });
  } finally {
    await bot?.stop();
    await standin.close();
    await dropDatabase(DB);
    rmSync(work, { recursive: true, force: true });
  }
}

function countBy(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
