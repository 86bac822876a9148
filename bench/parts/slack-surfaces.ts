/**
 * Part — Slack's other surfaces: the App Home (an `app_home_opened` event → the person's Home
 * published with `views.publish`) and link previews (a `link_shared` event for a roadmap link →
 * the request's card sent with `chat.unfurl`), signed events POSTed to the built bot's
 * POST /slack/events (PostgreSQL; Slack's Web API is the local stand-in). The latency is from the
 * event's scheduled send until the call arrives at the stand-in: what the person waits for before
 * the Home tab or the preview appears. Each call is checked: the right person's home with their
 * requests, the right link's card with the request's title. The floor: the bare Bolt app
 * (bench/floors/bare-bolt.cjs) answering the same events with a fixed view and a fixed unfurl.
 * Open loop, floor and bot alternating per surface.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "../lib/context";
import { botWorld } from "../lib/db";
import { httpRequest, openLoop, settle, slackSignature, type Slice } from "../lib/http";
import { benchDbName, databaseUrl, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, ROOT, startNode, type Running } from "../lib/proc";
import { SlackStandin } from "../lib/slack-standin";
import { summarize } from "../lib/stats";
import { communitySpec } from "../lib/world";

const DB = benchDbName("flywheel_bench_surfaces");
const COMMUNITIES = 50;
const MEMBERS = 100;
const HOT = 40;
const RATE = 20;
const PUBLIC_URL = "https://roadmap.bench.test";
const SIGNING_SECRET = randomBytes(16).toString("hex");
const GRACE_MS = 10_000;

type Surface = "home" | "unfurl";

export async function runSlackSurfaces(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  const seconds = ctx.options.durationS;
  const standin = new SlackStandin();
  standin.profiles = true;
  await standin.listen();
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-surfaces-"));
  const running: Running[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  try {
    const { configPath } = await botWorld(work, DB, COMMUNITIES, { members: MEMBERS, requests: HOT });
    const slackEnv = { SLACK_BOT_TOKEN: `xoxb-bench-${randomBytes(6).toString("hex")}`, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl };
    const bot = await startNode(
      BOT,
      botEnv(work, configPath, databaseUrl(DB), { PUBLIC_URL, ...slackEnv }),
      work,
    );
    running.push(bot);
    const floor = await startNode([join(ROOT, "bench", "floors", "bare-bolt.cjs")], { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...slackEnv }, ROOT);
    running.push(floor);

    let next = 0;
    /** One event: its body, and how to find (and check) the call it must cause at the stand-in. */
    const event = (surface: Surface) => {
      const k = next++;
      const person = (k % (COMMUNITIES * MEMBERS)) + 1;
      const c = communitySpec(Math.floor((person - 1) / MEMBERS));
      const user = `U${String(person).padStart(8, "0")}`;
      const ts = `${1_800_000_000 + k}.000100`;
      const request = (k % HOT) + 1;
      const url = `${PUBLIC_URL}/roadmap/${request}`;
      const inner =
        surface === "home"
          ? { type: "app_home_opened", user, channel: `D${user.slice(1)}`, tab: "home", event_ts: ts }
          : { type: "link_shared", channel: c.slack.channel, is_bot_user_member: true, user, message_ts: ts, links: [{ domain: new URL(url).hostname, url }], event_ts: ts };
      const body = JSON.stringify({
        token: "legacy-verification-token",
        team_id: c.slack.team,
        api_app_id: "A0BENCH",
        event: inner,
        type: "event_callback",
        event_id: `Ev${randomBytes(8).toString("hex")}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: c.slack.team, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
      });
      const matches = (call: SlackStandin["calls"][number]) =>
        surface === "home" ? call.method === "views.publish" && call.args.user_id === user : call.method === "chat.unfurl" && call.args.ts === ts;
      // The home says whose community the person speaks for: a public community by its name.
      return { body, matches, user, url, request, community: c.private ? undefined : c.name };
    };

    const slice = async (surface: Surface, port: number, bot: boolean, rate: number, s: number): Promise<Slice & { checked: number; wrong: number }> => {
      const sent: { at: number; e: ReturnType<typeof event> }[] = [];
      const acks = await openLoop(rate, s, async (_i, at) => {
        const e = event(surface);
        const res = await httpRequest(agent, port, "POST", "/slack/events", { "content-type": "application/json", "content-length": String(Buffer.byteLength(e.body)), ...slackSignature(SIGNING_SECRET, e.body) }, e.body);
        if (res.status !== 200) throw new Error(`ack HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        sent.push({ at, e });
        return res.end - at;
      });
      const found = () => sent.map((x) => standin.calls.find((c) => x.e.matches(c)));
      await settle(() => found().every(Boolean), GRACE_MS);
      // errors: not acked or no call within the grace (the load's as much as the code's); wrong: a call with the wrong content, or two for one event.
      const out = { sent: acks.sent, latencies: [] as number[], errors: acks.errors, firstError: acks.firstError, checked: 0, wrong: 0 };
      const calls = found();
      sent.forEach((x, i) => {
        const call = calls[i];
        const wrong = call && bot ? contentProblem(surface, call.args, x.e) : undefined;
        if (!call) {
          out.errors++;
          out.firstError ??= `no ${surface === "home" ? "views.publish" : "chat.unfurl"} within ${GRACE_MS / 1000} s`;
        } else if (wrong) {
          out.wrong++;
          out.firstError ??= wrong;
        } else {
          out.latencies.push(call!.at - x.at);
          if (bot) out.checked++;
        }
        // Each event causes exactly one call: a second one would be a double publish.
        if (call && standin.calls.filter((c) => x.e.matches(c)).length !== 1) {
          out.wrong++;
          out.firstError ??= `${surface}: more than one call for one event`;
        }
      });
      standin.calls.length = 0;
      return out;
    };

    // Warm up both (connections, Prisma's first queries, users.info, JIT) before measuring.
    for (const surface of ["home", "unfurl"] as const) {
      await slice(surface, floor.port, false, 10, 1);
      await slice(surface, bot.port, true, 10, 1);
    }

    for (const surface of ["home", "unfurl"] as const) {
      ctx.report.measuring();
      const f = await slice(surface, floor.port, false, RATE, seconds);
      const b = await slice(surface, bot.port, true, RATE, seconds);
      const bs = summarize(b.latencies);
      const fs = summarize(f.latencies);
      const what = surface === "home" ? "App Home published (app_home_opened → views.publish)" : "link unfurled (link_shared → chat.unfurl)";
      const floorName = surface === "home" ? "bare Bolt, fixed view" : "bare Bolt, fixed unfurl";
      ctx.log(`${surface}: bot p50 ${bs.p50.toFixed(1)} p99 ${bs.p99.toFixed(1)} ms (${b.errors} errors, ${b.wrong} wrong, ${b.checked} checked) · floor p50 ${fs.p50.toFixed(1)} p99 ${fs.p99.toFixed(1)} ms (${f.errors} errors)`);
      if (b.firstError) ctx.log(`first error: ${b.firstError}`);
      const details = { rate: RATE, seconds, sent: b.sent, errors: b.errors, firstError: b.firstError, checked: b.checked, floorErrors: f.errors, bot: bs, floor: fs };
      for (const q of ["p50", "p99"] as const)
        ctx.report.add({ part: "slack-surfaces", name: `${what} ${q}, ${RATE}/s`, unit: "ms", value: bs[q], floor: fs[q], floorName, better: "lower", ...(q === "p50" ? { details } : {}) });
      const label = surface === "home" ? "App Home" : "link unfurl";
      ctx.report.add({ part: "slack-surfaces", name: `${label} events not acked, or without their call within 10 s`, unit: "events", value: b.errors, better: "lower", details: { sent: b.sent } });
      ctx.report.add({ part: "slack-surfaces", name: `${label} calls with the wrong content, or two for one event`, unit: "events", value: b.wrong, better: "lower", target: { of: "value", max: 0, text: "0" }, loadBound: false, details: { checked: b.checked } });
      if (b.errors || b.wrong) ctx.report.notes.push(`slack-surfaces ${surface}: ${b.errors} of ${b.sent} events unanswered, ${b.wrong} wrong (first: ${b.firstError})`);
    }
  } finally {
    agent.destroy();
    for (const r of running.reverse()) await r.stop();
    await standin.close();
    await dropDatabase(DB);
    rmSync(work, { recursive: true, force: true });
  }
}

/** Why a call is not the right answer to its event, or undefined when it is. */
function contentProblem(surface: Surface, args: Record<string, unknown>, e: { user: string; url: string; request: number; community?: string }): string | undefined {
  if (surface === "home") {
    const view = args.view as { type?: string; blocks?: unknown[] } | undefined;
    if (view?.type !== "home" || !view.blocks?.length) return `views.publish for ${e.user} without a home view: ${JSON.stringify(args).slice(0, 200)}`;
    if (e.community && !JSON.stringify(view.blocks).includes(e.community)) return `the home of ${e.user} does not name their community ${e.community}: ${JSON.stringify(view.blocks).slice(0, 300)}`;
    return undefined;
  }
  const unfurl = (args.unfurls as Record<string, { blocks?: unknown[] }> | undefined)?.[e.url];
  if (!unfurl?.blocks?.length || !JSON.stringify(unfurl.blocks).includes(`Hot request ${e.request}`)) return `chat.unfurl without the card of #${e.request}: ${JSON.stringify(args).slice(0, 200)}`;
  return undefined;
}
