import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { parsed, unexpected } from "../src/command-kit/parse";
import { UserError } from "../src/core/errors";
import { viewerOf } from "../src/core/people/visibility";
import type { Reply, Section } from "../src/core/reply";
import { type Distribution, looksLikeSince, parseSince, type StatsRow, supportStats } from "../src/core/support/stats";
import { formatDuration, plural } from "../src/core/text";

/** Chat platforms cap a message's blocks; the busiest communities are shown, the text names how many more. */
const MAX_SECTIONS = 25;

const dist = (d: Distribution | undefined, what: string) =>
  d ? `${what} median ${formatDuration(d.medianMs)}, p90 ${formatDuration(d.p90Ms)} (${d.count})` : `${what}: none yet`;

const line = (r: StatsRow) =>
  [
    `${r.name}: ${plural(r.opened, "ticket")} (${r.unresolved} unresolved)`,
    dist(r.firstResponse, "first response"),
    dist(r.resolution, "resolution"),
    plural(r.reopens, "re-open"),
    ...(r.helpful + r.notHelpful ? [`rated 👍 ${r.helpful} · 👎 ${r.notHelpful}`] : []),
  ].join(" · ");

const section = (r: StatsRow): Section => ({
  title: r.name,
  fields: [
    { label: "Tickets", value: `${r.opened} (${r.unresolved} unresolved)` },
    { label: "First staff response", value: r.firstResponse ? `median ${formatDuration(r.firstResponse.medianMs)} · p90 ${formatDuration(r.firstResponse.p90Ms)}` : "none yet" },
    { label: "Resolution", value: r.resolution ? `median ${formatDuration(r.resolution.medianMs)} · p90 ${formatDuration(r.resolution.p90Ms)}` : "none yet" },
    { label: "Re-opens", value: String(r.reopens) },
  ],
});

export default defineCommand({
  name: "support-stats",
  description: "Support response and resolution times (median and p90) per community and overall",
  role: "steward",
  communityOptional: true,
  usage: "[community] [since: 2026-11-01 | 30d | 4w | all]",
  options: [
    { name: "community", type: "string", description: "Only this community (its slug)", autocomplete: "community" },
    { name: "since", type: "string", description: "Tickets opened since a date (2026-11-01), a span (30d, 12h, 4w) or all; default 30d", example: "30d" },
  ],
  // Either word may come alone: "30d" is a span, anything else a community slug.
  readWords(words) {
    const out: Record<string, unknown> = {};
    for (const word of words) {
      const slot = looksLikeSince(word) ? "since" : "community";
      if (out[slot] !== undefined) return unexpected(word);
      out[slot] = word;
    }
    return parsed(out);
  },
  schema: z.object({
    community: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/, { message: "Give a community slug, like alpha." }).optional(),
    since: z.string().trim().max(20).default("30d"),
  }),
  async run({ options: o, actor, services }): Promise<Reply> {
    // Stewards see their own community (and the overall figures), staff any.
    if (actor.role !== "staff") {
      if (o.community && o.community !== actor.communitySlug) throw new UserError("Stewards can see their own community's support figures; ask staff for others.");
    }
    const scope = actor.role === "staff" ? o.community : o.community ?? actor.communitySlug ?? undefined;
    const since = parseSince(o.since, services.clock.now());
    const viewer = viewerOf(actor);
    const report = await supportStats(services, { viewer, communitySlug: scope, since });
    const overall = actor.role === "staff" || !scope ? report.overall : (await supportStats(services, { viewer, since })).overall;
    const period = since ? `since ${since.toISOString().slice(0, 10)}` : "all time";
    if (!report.rows.length && !overall.opened) return { text: `No support tickets ${period}.`, ephemeral: true };
    const rows = report.rows.slice(0, MAX_SECTIONS);
    const more = report.rows.length - rows.length;
    const text = [
      `Support ${period}${scope ? ` for ${scope}` : ""}:`,
      ...rows.map(line),
      ...(more > 0 ? [`…and ${plural(more, "more community", "more communities")}; name one to see it.`] : []),
      `Overall: ${line(overall).replace(/^[^:]*: /, "")}`,
    ].join("\n");
    return {
      text,
      title: `Support ${period}`,
      sections: [...rows.map(section), { ...section(overall), title: "Overall" }],
      ephemeral: true,
    };
  },
});
