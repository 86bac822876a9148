import type { Db } from "../../src/db/client";
import type { RequestStatus } from "../../src/generated/prisma/client";
import { TEST_CONFIG_YAML } from "./db";

/**
 * The test communities plus two more: delta (named) and sigma (a private Premier member), so the
 * roadmap shows both "a Premier member" and "an Essential member" (gamma).
 */
export const ROADMAP_CONFIG_YAML = TEST_CONFIG_YAML.replace(
  "staff:",
  `  - { slug: delta, name: Delta Labs, tier: general }
  - { slug: sigma, name: Sigma Secret Consortium, tier: premier, private: true }
staff:`,
);

/** Names and slugs that must never appear on a public output. */
export const PRIVATE_WORDS = ["Gamma", "gamma", "Sigma", "sigma"];

export const XSS_TITLE = `<script>alert(1)</script><b>Bold</b> & "quotes" <img src=x onerror=alert(2)>`;

const DAY = 86_400_000;

export interface Seeded {
  now: Date;
  sso: number;
  builds: number;
  darkMode: number;
  csv: number;
  xss: number;
  oldShipped: number;
  declined: number;
  merged: number;
  gammaOnly: number;
}

/**
 * A small roadmap written straight into the tables other features fill (votes, pledges, status
 * history, GitHub items, credits), with dates relative to `now`.
 */
export async function seedRoadmap(db: Db, now: Date): Promise<Seeded> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const communities = new Map((await db.community.findMany()).map((c) => [c.slug, c.id]));
  const cid = (slug: string) => communities.get(slug)!;
  const people = new Map<string, number>();
  for (const [name, slug] of [["Ana", "alpha"], ["Alan", "alpha"], ["Bob", "beta"], ["Gia", "gamma"], ["Dee", "delta"], ["Sig", "sigma"]] as const) {
    people.set(name, (await db.person.create({ data: { displayName: name, communityId: cid(slug) } })).id);
  }
  const pid = (name: string) => people.get(name)!;
  const home = (name: string) => ({ Ana: "alpha", Alan: "alpha", Bob: "beta", Gia: "gamma", Dee: "delta", Sig: "sigma" })[name]!;

  const request = async (title: string, by: string, status: RequestStatus, createdDaysAgo: number, body = "") =>
    (await db.featureRequest.create({ data: { title, body, status, communityId: cid(home(by)), authorId: pid(by), createdAt: ago(createdDaysAgo) } })).id;
  const votes = (requestId: number, voters: [string, number][]) =>
    db.vote.createMany({ data: voters.map(([name, daysAgo]) => ({ requestId, personId: pid(name), communityId: cid(home(name)), createdAt: ago(daysAgo) })) });
  const change = (requestId: number, from: RequestStatus, to: RequestStatus, daysAgo: number, extra: { reason?: string; source?: string; sourceRef?: string } = {}) =>
    db.statusChange.create({ data: { requestId, from, to, createdAt: ago(daysAgo), ...extra } });

  const sso = await request("Single sign-on with SAML", "Ana", "open", 30, "Our staff log in with SAML everywhere else.");
  await votes(sso, [["Ana", 30], ["Alan", 29], ["Bob", 20], ["Gia", 12], ["Sig", 5]]);
  await db.pledge.createMany({
    data: [
      { requestId: sso, communityId: cid("alpha"), personId: pid("Ana"), amount: 5000 },
      { requestId: sso, communityId: cid("gamma"), personId: pid("Gia"), amount: 1500, note: "Gamma's budget line 7" },
    ],
  });

  const builds = await request("Faster image builds", "Bob", "in_progress", 40, "CI takes 20 minutes for every change.");
  await votes(builds, [["Bob", 40], ["Ana", 35], ["Dee", 33]]);
  await change(builds, "open", "planned", 20, { reason: "Scheduled for the winter release", source: "command" });
  await change(builds, "planned", "in_progress", 6, { source: "github", sourceRef: "https://github.com/flywheel-org/flywheel/pull/88" });
  await db.githubItem.create({ data: { repo: "flywheel-org/flywheel", number: 88, kind: "pull", url: "https://github.com/flywheel-org/flywheel/pull/88", title: "Cache layers", state: "open", requestId: builds } });

  const darkMode = await request("Dark mode for the dashboard", "Dee", "planned", 25);
  await votes(darkMode, [["Dee", 25], ["Bob", 24]]);
  await change(darkMode, "open", "planned", 3, { reason: "Design is ready" });

  const csv = await request("Export requests to CSV", "Alan", "shipped", 60, "For our quarterly reports.");
  await votes(csv, [["Alan", 60], ["Gia", 50]]);
  await change(csv, "open", "in_progress", 30, { source: "github" });
  await change(csv, "in_progress", "shipped", 10, { source: "github", sourceRef: "https://github.com/flywheel-org/flywheel/pull/77", reason: "Released in 2.4" });
  await db.githubItem.create({ data: { repo: "flywheel-org/flywheel", number: 77, kind: "pull", url: "https://github.com/flywheel-org/flywheel/pull/77", title: "CSV export", state: "merged", requestId: csv } });
  await db.contribution.createMany({
    data: [
      { subject: `person:${pid("Ana")}`, personId: pid("Ana"), kind: "code", source: "github:pr:77", requestId: csv, githubLogin: "ana-dev" },
      { subject: `person:${pid("Ana")}`, personId: pid("Ana"), kind: "review", source: "github:review:77", requestId: csv },
      { subject: "github:octocat", githubLogin: "octocat", kind: "review", source: "github:review:77", requestId: csv },
      { subject: `community:${cid("gamma")}`, communityId: cid("gamma"), kind: "funding", source: "pledge:csv", requestId: csv },
    ],
  });

  const xss = await request(XSS_TITLE, "Gia", "open", 8, `Details with <iframe src="https://evil.example"></iframe> and <a href="javascript:alert(3)">a link</a>`);
  await votes(xss, [["Gia", 8]]);

  const oldShipped = await request("Audit log", "Bob", "shipped", 400);
  await votes(oldShipped, [["Bob", 400]]);
  await change(oldShipped, "open", "shipped", 200, { reason: `Shipped <em>long</em> ago`, sourceRef: "javascript:alert(4)" });

  const declined = await request("Blockchain everything", "Dee", "declined", 50);
  await votes(declined, [["Dee", 50]]);
  await change(declined, "open", "declined", 45, { reason: "Out of scope" });

  const merged = await request("SAML login please", "Bob", "merged", 15);
  await db.featureRequest.update({ where: { id: merged }, data: { mergedIntoId: sso } });
  await change(merged, "open", "merged", 14, { source: "merge", reason: `Duplicate of #${sso}` });

  const gammaOnly = await request("Offline mode for field work", "Gia", "open", 4);
  await votes(gammaOnly, [["Gia", 4]]);

  return { now, sso, builds, darkMode, csv, xss, oldShipped, declined, merged, gammaOnly };
}

/** `count` open requests, each with its author's vote: enough to need paging. One statement each. */
export async function seedMany(db: Db, count: number): Promise<void> {
  const community = await db.community.findUniqueOrThrow({ where: { slug: "beta" } });
  const author = await db.person.create({ data: { displayName: "Bulk", communityId: community.id } });
  await db.$executeRaw`
    INSERT INTO "FeatureRequest" (title, "communityId", "authorId", "updatedAt")
    SELECT 'Bulk request ' || g, ${community.id}, ${author.id}, now() FROM generate_series(1, ${count}::int) g`;
  await db.$executeRaw`
    INSERT INTO "Vote" ("requestId", "personId", "communityId")
    SELECT id, ${author.id}, ${community.id} FROM "FeatureRequest" WHERE "authorId" = ${author.id}`;
}
