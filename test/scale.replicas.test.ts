import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enqueue } from "../src/core/outbox";
import { openDatabase, type Database } from "../src/db/client";
import { emptyPostgresDatabase, TEST_CONFIG_YAML } from "./helpers/db";
import { ALPHA, GAMMA, GUILDS } from "./helpers/discord";
import { deliver, example } from "./helpers/github";
import { cleanEnv } from "./helpers/program";
import { RoundRobin } from "./helpers/round-robin";
import { BOT_TOKEN as SLACK_TOKEN, postCommand, SIGNING_SECRET, slashCommand, type Who } from "./helpers/slack";
import { APP_ID, BOT_TOKEN as DISCORD_TOKEN, DiscordStandIn, interactionKeys, user } from "./standins/discord";
import { SlackStandin } from "./standins/slack";

/*
 * Three bot processes (the built program, as `npm start` runs it) on one PostgreSQL, behind a
 * round-robin proxy on loopback. Slack slash commands, Discord HTTP interactions and GitHub
 * webhooks are spread over them; the replica holding the scheduler and the Discord gateway is
 * killed with SIGKILL between two waves. Needs PostgreSQL (TEST_DATABASE_URL; CI sets it).
 */

const ROOT = join(__dirname, "..");
const MAIN = join(ROOT, "dist", "src", "main.js");
const GITHUB_SECRET = "scale-test-webhook-secret";
const keys = interactionKeys();
const YAML = `${TEST_CONFIG_YAML}github:\n  repos: [Codertocat/Hello-World]\n`;

interface Bot {
  child: ChildProcess;
  port: number;
  output(): string;
}

async function poll<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const health = async (port: number) =>
  (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { scheduler: { leader: boolean }; platforms: Record<string, string> };

const needsPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) {
  test.skip("three replicas: skipped because TEST_DATABASE_URL is not set (it needs a PostgreSQL server; CI sets it)", () => {});
}

needsPostgres("three replicas on one PostgreSQL behind a round-robin proxy, one killed mid-way", () => {
  let db: { url: string; drop(): Promise<void> };
  let database: Database;
  let slack: SlackStandin;
  let discord: DiscordStandIn;
  let proxy: RoundRobin;
  let home: string;
  const bots: Bot[] = [];
  let responseSeq = 0;

  function startBot(i: number): Promise<Bot> {
    const env = {
      ...cleanEnv(),
      DATABASE_URL: db.url,
      DATA_DIR: join(home, `data-${i}`),
      FLYWHEEL_CONFIG: join(home, "flywheel.yml"),
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL_PACE_MS: "0",
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_GATEWAY: "on",
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
    };
    const child = spawn(process.execPath, [MAIN], { cwd: home, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
    return poll(async () => {
      if (child.exitCode !== null) throw new Error(`bot ${i} exited: ${out.slice(-800)}`);
      const port = Number(/running on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      return port ? { child, port, output: () => out } : undefined;
    }, `bot ${i} to start`, 60_000).catch((e: unknown) => {
      if (child.exitCode !== null) throw new Error(`bot ${i} exited: ${out.slice(-800)}`);
      throw e;
    });
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error("dist/ is missing: run `npm run build` first (npm test does it)");
    home = mkdtempSync(join(tmpdir(), "flywheel-replicas-"));
    writeFileSync(join(home, "flywheel.yml"), YAML);
    db = await emptyPostgresDatabase();
    slack = await new SlackStandin().start();
    discord = await DiscordStandIn.start(GUILDS, { heartbeatInterval: 3000 });
    // The first bot migrates the database and takes both locks; the others start beside it.
    bots.push(await startBot(0));
    await poll(async () => ((await health(bots[0].port)).scheduler.leader && discord.connected ? true : undefined), "the first bot to lead");
    bots.push(...(await Promise.all([startBot(1), startBot(2)])));
    proxy = await new RoundRobin(bots.map((b) => b.port)).start();
    discord.deliverOverHttp(() => proxy.url("/discord/interactions"), keys);
    database = await openDatabase({ url: db.url });
  }, 120_000);

  afterAll(async () => {
    for (const b of bots) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill("SIGTERM");
    await Promise.all(bots.map((b) => (b.child.exitCode === null && b.child.signalCode === null ? new Promise((r) => b.child.once("exit", r)) : undefined)));
    await proxy?.stop();
    await database?.close();
    await slack?.close();
    await discord?.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  const events = () => proxy.url("/slack/events");
  /** A Slack slash command through the proxy; its answer is what reaches its response_url. */
  async function slackCommand(who: Who, command: string, text: string, retries = 0): Promise<{ id: string; answers: () => Record<string, unknown>[] }> {
    const id = `r${++responseSeq}`;
    const c = slashCommand(who, command, text, slack.responseUrl(id));
    for (let retry = 0; retry <= retries; retry++) {
      const res = await postCommand(events(), c, retry ? { retryNum: retry } : {});
      expect({ status: res.status, text: res.status === 200 ? "" : res.text }).toEqual({ status: 200, text: "" });
    }
    await slack.waitFor(() => slack.responses.find((r) => r.id === id));
    return { id, answers: () => slack.responses.filter((r) => r.id === id).map((r) => r.body) };
  }

  let request = 0;
  const voters = { slack: [] as string[], discord: [] as string[] };
  const answered: { answers: () => Record<string, unknown>[] }[] = [];
  const interactions: string[] = [];

  async function voteWave(tag: string, count: number): Promise<void> {
    const work: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const who: Who = { user: `U0${tag}${i}`, name: `${tag}${i}`, team: i % 2 ? "T0BETA" : "T0ALPHA", channel: i % 2 ? "C0BETA" : "C0ALPHA" };
      voters.slack.push(who.user);
      // Every third one is sent twice, the second as Slack's retry: it may land on another replica.
      work.push(slackCommand(who, "/upvote", String(request), i % 3 === 0 ? 1 : 0).then((r) => void answered.push(r)));
      const member = { user: user(`23${tag.charCodeAt(0)}${String(i).padStart(14, "0")}`, `d${tag}${i}`), guildId: i % 2 ? GAMMA.guild : ALPHA.guild, channelId: i % 2 ? GAMMA.channel : ALPHA.channel };
      voters.discord.push(member.user.id);
      const id = discord.click(member, `fw:upvote ${request}`);
      interactions.push(id);
      work.push(discord.answer(id).then(async () => {
        // Delivered again (a retrying load balancer): answered at most as a no-op, counted once.
        if (i % 3 === 0) await discord.postInteraction(discord.payloadOf(id));
      }));
    }
    await Promise.all(work);
  }

  let comment = 0;
  const deliveries: string[] = [];
  async function githubWave(count: number): Promise<void> {
    const sent = await Promise.all(
      Array.from({ length: count }, () => {
        const p = example("issue_comment", "created");
        comment += 1;
        p.comment.id = 7_000_000 + comment;
        p.comment.body = `A plain comment ${comment}`;
        return deliver(proxy.port, GITHUB_SECRET, "issue_comment", p);
      }),
    );
    for (const d of sent) {
      expect({ status: d.status, outcome: d.body.outcome }).toEqual({ status: 200, outcome: "handled" });
      deliveries.push(d.delivery);
    }
  }

  const places = {
    slack: { platform: "slack" as const, workspace: "T0ALPHA", channel: "C0ALPHA" },
    discord: { platform: "discord" as const, workspace: ALPHA.guild, channel: ALPHA.channel },
  };
  const enqueued: string[] = [];
  async function outboxWave(tag: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      for (const [name, place] of Object.entries(places)) {
        await enqueue(database.prisma, { key: `scale:${tag}:${name}:${i}`, place, reply: { text: `outbox ${tag} ${i}` } });
      }
      enqueued.push(`outbox ${tag} ${i}`);
    }
    await poll(async () => ((await database.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: "scale:" }, status: { not: "delivered" } } })) === 0 ? true : undefined), "the outbox to drain");
  }

  test("three replicas serve, one is killed, the rest take over: every answer, vote, webhook and message exactly once", async () => {
    const filed = await slackCommand({ user: "U0ANA", name: "ana", team: "T0ALPHA", channel: "C0ALPHA" }, "/request", "Scale out on PostgreSQL");
    request = Number(/#(\d+)/.exec(String(filed.answers()[0].text))![1]);
    expect(request).toBeGreaterThan(0);

    await Promise.all([voteWave("A", 9), githubWave(6), outboxWave("one", 6)]);
    // The load was spread over all three.
    expect(bots.every((b) => (proxy.served.get(b.port) ?? 0) > 0)).toBe(true);

    // Last week's digests were never posted (the communities and the request date from before it):
    // whichever replica leads next catches them up, once.
    await database.prisma.$executeRawUnsafe(`UPDATE "Community" SET "createdAt" = now() - interval '30 days'`);
    await database.prisma.$executeRawUnsafe(`UPDATE "FeatureRequest" SET "createdAt" = now() - interval '7 days'`);
    await database.prisma.$executeRawUnsafe(`UPDATE "Vote" SET "createdAt" = now() - interval '7 days'`);

    // The replica holding the scheduler and the gateway dies without a chance to clean up.
    const [victim, ...survivors] = bots;
    expect((await health(victim.port)).scheduler.leader).toBe(true);
    const exited = new Promise((r) => victim.child.once("exit", r));
    victim.child.kill("SIGKILL");
    await exited;

    await Promise.all([voteWave("B", 9), githubWave(6), outboxWave("two", 6)]);

    // Another replica runs the scheduler, and opened the gateway again: one connection at a time.
    await poll(async () => ((await Promise.all(survivors.map((b) => health(b.port)))).filter((h) => h.scheduler.leader).length === 1 ? true : undefined), "a new scheduler leader");
    await poll(async () => (discord.identifies === 2 && discord.connected ? true : undefined), "a new gateway leader");
    expect(discord.mostConnections).toBe(1);

    // Every digest once, by a survivor: one run per community, its messages delivered once.
    const communities = await database.prisma.community.count({ where: { active: true } });
    const runs = await poll(async () => {
      const r = await database.prisma.digestRun.findMany();
      return r.length === communities ? r : undefined;
    }, "last week's digests");
    expect(runs.every((r) => Boolean(r.claimedBy) && !r.claimedBy!.includes(`:${victim.child.pid}:`))).toBe(true);
    expect(runs.some((r) => r.status === "posted")).toBe(true);
    await poll(async () => ((await database.prisma.outboxMessage.count({ where: { status: { not: "delivered" } } })) === 0 ? true : undefined), "every message delivered");
    // Nothing the bot sent to Slack went out twice: one chat.postMessage per outbox row for Slack.
    const slackRows = await database.prisma.outboxMessage.count({ where: { platform: "slack" } });
    expect(slack.callsOf("chat.postMessage")).toHaveLength(slackRows);

    // Every command answered once.
    for (const a of answered) expect(a.answers()).toHaveLength(1);
    expect(answered.every((a) => /Your vote for #\d+ is counted/.test(String(a.answers()[0].text)))).toBe(true);
    for (const id of interactions) {
      const messages = discord.calls.filter((c) => c.path.startsWith(`/interactions/${id}/`) && [4, 5].includes(c.body?.type));
      expect(messages).toHaveLength(1);
    }
    // Every vote counted once: the filer plus every distinct voter.
    expect(await database.prisma.vote.count({ where: { requestId: request } })).toBe(1 + voters.slack.length + voters.discord.length);
    // Every webhook handled once; a redelivery to any replica is a duplicate.
    expect(await database.prisma.webhookDelivery.count({ where: { id: { in: deliveries.map((d) => `github:${d}`) } } })).toBe(deliveries.length);
    const again = await deliver(proxy.port, GITHUB_SECRET, "issue_comment", { ...example("issue_comment", "created"), comment: { ...example("issue_comment", "created").comment, id: 7_000_001 } }, { delivery: deliveries[0] });
    expect(again.body.outcome).toBe("duplicate");
    // Every outbox message delivered once, in the order enqueued, in each channel.
    const slackPosted = slack.callsOf("chat.postMessage").map((c) => String(c.args.text ?? "")).filter((t) => t.startsWith("outbox "));
    expect(slackPosted).toEqual(enqueued);
    const discordPosted = discord.messagesIn(ALPHA.channel).map((m) => m.embeds[0]?.description ?? "").filter((t) => t.startsWith("outbox "));
    expect(discordPosted).toEqual(enqueued);
  }, 120_000);
});
