/**
 * Part 6 — the answer in the reader's language: `/upvote` answered for members of Spanish-speaking
 * communities beside the same answer for members of English-speaking ones, on PGlite, alternating
 * one by one so load hits both alike. Both go through the catalogs (there is no English-only build
 * left to compare with): the English answer is the floor, and the figure says what choosing and
 * formatting another language adds. A second figure isolates formatting itself: the answer's text
 * through the catalog against the same sentence built with a template string.
 */
import { dispatch } from "../../src/command-kit/dispatch";
import { configSchema } from "../../src/config/file";
import { translator } from "../../src/i18n/translate";
import type { BenchContext } from "../lib/context";
import { freshPglite, smallWorld } from "../lib/db";
import { msSince, summarize } from "../lib/stats";
import { benchServices, communitySpec } from "../lib/world";

const COMMUNITIES = 10; // even ones read English, odd ones Spanish
const MEMBERS = 400;
const REQUESTS = 10;

export async function runLocale(ctx: BenchContext): Promise<void> {
  // 2,000 pairs keep the part within its share of the run's 10 minutes; p99 is then the 20th slowest of each side.
  const answers = ctx.options.quick ? 600 : 2000;
  const config = configSchema.parse({
    communities: Array.from({ length: COMMUNITIES }, (_, n) => ({ ...communitySpec(n), ...(n % 2 ? { locale: "es" } : {}) })),
    staff: [{ slack: "U0STAFF", shell: "admin" }],
  });
  const db = await freshPglite();
  try {
    await smallWorld(db, config, { members: MEMBERS, requests: REQUESTS });
    const services = benchServices(db.database, config);
    // Person p belongs to community floor((p-1)/MEMBERS); each answer is a new vote.
    const cursor = [0, 0];
    const answer = async (spanish: boolean): Promise<number> => {
      const side = spanish ? 1 : 0;
      const i = cursor[side]++;
      const community = 2 * (i % (COMMUNITIES / 2)) + side;
      const member = Math.floor(i / (COMMUNITIES / 2));
      if (member >= MEMBERS * REQUESTS) throw new Error("the locale part ran out of fresh votes");
      const personId = community * MEMBERS + (member % MEMBERS) + 1;
      const requestId = Math.floor(member / MEMBERS) + 1;
      const s = communitySpec(community);
      const user = `U${String(personId).padStart(8, "0")}`;
      const t = process.hrtime.bigint();
      const reply = await dispatch(services, {
        command: "upvote",
        text: String(requestId),
        speaker: { platform: "slack", externalId: user, displayName: `Member ${personId}`, workspace: s.slack.team, channel: s.slack.channel },
        place: { platform: "slack", workspace: s.slack.team, channel: s.slack.channel, user },
      });
      const ms = msSince(t);
      const expected = spanish ? "Tu voto por" : "Your vote for";
      if (!reply.text.startsWith(expected)) throw new Error(`/upvote answered "${reply.text}" for ${s.slug}`);
      return ms;
    };
    // Warm both paths (compiled messages, prepared statements) before measuring.
    for (let i = 0; i < 50; i++) {
      await answer(false);
      await answer(true);
    }
    const en: number[] = [];
    const es: number[] = [];
    for (let i = 0; i < answers; i++) {
      en.push(await answer(false));
      es.push(await answer(true));
    }
    const sEn = summarize(en);
    const sEs = summarize(es);
    ctx.log(`locale: /upvote answer p99 English ${sEn.p99.toFixed(2)} ms, Spanish ${sEs.p99.toFixed(2)} ms (p50 ${sEn.p50.toFixed(2)} / ${sEs.p50.toFixed(2)})`);
    ctx.report.add({
      part: "locale",
      name: "/upvote answer p99, Spanish community vs English (PGlite)",
      unit: "ms",
      value: sEs.p99,
      floor: sEn.p99,
      floorName: "the same answer in English",
      better: "lower",
      target: { of: "ratio", max: 1.05, text: "within 5% of English" },
      details: { answers, english: sEn, spanish: sEs },
    });
    ctx.report.add({
      part: "locale",
      name: "/upvote answer p50, Spanish community vs English (PGlite)",
      unit: "ms",
      value: sEs.p50,
      floor: sEn.p50,
      floorName: "the same answer in English",
      better: "lower",
      details: { answers },
    });
  } finally {
    await db.close();
  }

  // Formatting alone: the catalog's message against a template string, per call.
  const tr = translator("es");
  const loops = 200_000;
  let sink = 0;
  const time = (fn: (i: number) => string) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < loops; i++) sink += fn(i).length;
    return (msSince(t) * 1e6) / loops;
  };
  const template = (i: number) => `Tu voto por #${i} cuenta para c${i % 10}.`;
  const catalog = (i: number) => tr.t("commands.upvote.counted", { number: i, community: `c${i % 10}` });
  time(template);
  time(catalog);
  const floorNs = Math.min(time(template), time(template));
  const valueNs = Math.min(time(catalog), time(catalog));
  if (sink === 0) throw new Error("nothing was formatted");
  ctx.report.add({
    part: "locale",
    name: "formatting one answer through the catalog vs a template string",
    unit: "ns",
    value: valueNs,
    floor: floorNs,
    floorName: "a template string",
    better: "lower",
    details: { loops, note: "a few microseconds at most, against an answer of milliseconds" },
  });
}
