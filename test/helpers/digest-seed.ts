import type { Db } from "../../src/db/client";
import { TEST_CONFIG_YAML } from "./db";

/** The test communities, with alpha in Paris (its weeks start at 23:00 UTC on Sunday) and beta on Tuesdays. */
export const DIGEST_CONFIG_YAML = TEST_CONFIG_YAML.replace("tier: premier,", "tier: premier, timezone: Europe/Paris,").replace(
  "tier: general,",
  'tier: general, digest: "0 8 * * 2",',
);

const at = (iso: string) => new Date(iso);

/**
 * A week of activity around ISO week 2026-W48 (23-29 Nov), written straight into the tables the
 * other features fill: requests and votes, status changes, pledges, tickets, credits. Two
 * requests sit on the week's edges: #6 is Monday 00:30 in Paris but still Sunday in UTC, #7 is
 * Sunday 23:30 UTC but already Monday in Paris.
 */
export async function seedDigestWeek(db: Db): Promise<void> {
  const c = Object.fromEntries((await db.community.findMany()).map((x) => [x.slug, x.id])) as Record<"alpha" | "beta" | "gamma", number>;
  // Old enough for any week the tests look at (catch-up skips communities younger than the week).
  await db.community.updateMany({ data: { createdAt: at("2026-01-01T00:00:00Z") } });
  const person = async (name: string, community: number) =>
    (await db.person.create({ data: { displayName: name, communityId: community, accounts: { create: { platform: "shell", externalId: name } } } })).id;
  const ana = await person("ana", c.alpha);
  const amir = await person("amir", c.alpha);
  const bob = await person("bob", c.beta);
  const gia = await person("gia", c.gamma);

  const request = async (title: string, community: number, author: number, createdAt: string, status: "open" | "planned" | "shipped" | "merged" = "open") =>
    (await db.featureRequest.create({ data: { title, communityId: community, authorId: author, createdAt: at(createdAt), status } })).id;
  const vote = (requestId: number, personId: number, communityId: number, createdAt: string) =>
    db.vote.create({ data: { requestId, personId, communityId, createdAt: at(createdAt) } });

  const r1 = await request("Faster image builds", c.alpha, ana, "2026-11-10T10:00:00Z");
  await vote(r1, ana, c.alpha, "2026-11-10T10:00:00Z");
  const r2 = await request("Dark mode", c.beta, bob, "2026-11-24T12:00:00Z");
  await vote(r1, bob, c.beta, "2026-11-24T10:00:00Z");
  await vote(r2, bob, c.beta, "2026-11-24T12:00:00Z");
  const r3 = await request("Single sign-on", c.gamma, gia, "2026-11-25T08:00:00Z");
  await vote(r3, gia, c.gamma, "2026-11-25T08:00:00Z");
  await vote(r1, gia, c.gamma, "2026-11-25T10:00:00Z");
  const r4 = await request("Audit log", c.alpha, ana, "2026-11-01T09:00:00Z", "shipped");
  await vote(r4, ana, c.alpha, "2026-11-01T09:00:00Z");
  const r5 = await request("CSV export", c.beta, bob, "2026-11-05T09:00:00Z", "planned");
  await vote(r5, bob, c.beta, "2026-11-05T09:00:00Z");
  const r6 = await request("Boundary Monday", c.beta, bob, "2026-11-22T23:30:00Z");
  await vote(r6, bob, c.beta, "2026-11-22T23:30:00Z");
  const r7 = await request("Boundary Sunday", c.alpha, ana, "2026-11-29T23:30:00Z");
  await vote(r7, ana, c.alpha, "2026-11-29T23:30:00Z");
  const r8 = await request("Duplicate of dark mode", c.beta, bob, "2026-11-25T13:00:00Z", "merged");
  await db.featureRequest.update({ where: { id: r8 }, data: { mergedIntoId: r2 } });

  const change = (requestId: number, from: "open" | "planned" | "in_progress", to: "planned" | "in_progress" | "shipped" | "merged", createdAt: string) =>
    db.statusChange.create({ data: { requestId, from, to, createdAt: at(createdAt) } });
  await change(r4, "open", "planned", "2026-11-20T09:00:00Z");
  await change(r4, "planned", "in_progress", "2026-11-24T09:00:00Z");
  await change(r4, "in_progress", "shipped", "2026-11-26T15:00:00Z");
  await change(r5, "open", "planned", "2026-11-27T10:00:00Z");
  await change(r8, "open", "merged", "2026-11-25T13:30:00Z");

  const pledge = (requestId: number, communityId: number, personId: number, amount: string, when: string) =>
    db.pledge.create({ data: { requestId, communityId, personId, amount, createdAt: at(when), updatedAt: at(when) } });
  await pledge(r1, c.alpha, ana, "500", "2026-11-25T10:00:00Z");
  await pledge(r3, c.gamma, gia, "200", "2026-11-26T10:00:00Z");
  await pledge(r5, c.beta, bob, "1000", "2026-10-01T10:00:00Z");

  const ticket = (communityId: number, requesterId: number, createdAt: string, firstResponseAt: string | null, resolvedAt: string | null) =>
    db.supportTicket.create({
      data: {
        communityId,
        requesterId,
        summary: "help",
        memberPlace: { platform: "shell", channel: "x" },
        createdAt: at(createdAt),
        firstResponseAt: firstResponseAt ? at(firstResponseAt) : null,
        resolvedAt: resolvedAt ? at(resolvedAt) : null,
        status: resolvedAt ? "resolved" : "open",
      },
    });
  await ticket(c.alpha, ana, "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z", null);
  await ticket(c.alpha, amir, "2026-11-25T09:00:00Z", "2026-11-25T12:00:00Z", "2026-11-26T09:00:00Z");
  await ticket(c.alpha, ana, "2026-11-20T09:00:00Z", "2026-11-20T09:30:00Z", "2026-11-24T09:00:00Z");
  await ticket(c.beta, bob, "2026-11-24T09:00:00Z", null, null);

  const credit = (data: { subject: string; kind: string; source: string; personId?: number; communityId?: number; githubLogin?: string; requestId?: number }, when: string) =>
    db.contribution.create({ data: { ...data, createdAt: at(when) } });
  await credit({ subject: `person:${ana}`, personId: ana, communityId: c.alpha, kind: "code", source: "github:pr:1", requestId: r4 }, "2026-11-26T15:00:00Z");
  await credit({ subject: "github:octo-dev", githubLogin: "octo-dev", kind: "code", source: "github:pr:1", requestId: r4 }, "2026-11-26T15:00:00Z");
  await credit({ subject: `person:${amir}`, personId: amir, communityId: c.alpha, kind: "review", source: "github:pr:1:review", requestId: r4 }, "2026-11-26T16:00:00Z");
  await credit({ subject: `person:${ana}`, personId: ana, communityId: c.alpha, kind: "docs", source: "docs:1" }, "2026-11-27T09:00:00Z");
  await credit({ subject: `person:${bob}`, personId: bob, communityId: c.beta, kind: "code", source: "github:pr:2" }, "2026-11-26T12:00:00Z");
}

/** alpha's digest for 2026-W48, worked out by hand from the seed above. */
export const ALPHA_W48_TEXT = `Flywheel weekly digest for Alpha University, 23–29 Nov 2026 (2026-W48).

New requests
#2 Dark mode — from Beta College
#3 Single sign-on — from an Essential member
#6 Boundary Monday — from Beta College

Most wanted
#1 Faster image builds — 3 communities · 3 votes · 1 pledge — open (+2 votes this week)
#7 Boundary Sunday — 1 community · 1 vote · 0 pledges — open
#3 Single sign-on — 1 community · 1 vote · 1 pledge — open (+1 vote this week)
#6 Boundary Monday — 1 community · 1 vote · 0 pledges — open (+1 vote this week)
#2 Dark mode — 1 community · 1 vote · 0 pledges — open (+1 vote this week)

Status changes
🚀 #4 Audit log shipped — thanks to ana, @octo-dev, and amir
#5 CSV export: open → planned
#8 Duplicate of dark mode was merged into #2

Pledges
Alpha University pledged 500 USD to #1 Faster image builds
An Essential member pledged 200 USD to #3 Single sign-on

Support for Alpha University
Opened: 2 · Resolved: 2 · Median first response: 2h 00m

Thank you
🙏 ana — 2 contributions (code, docs)
🙏 amir — 1 contribution (review)`;
