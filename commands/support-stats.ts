import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { parsed, unexpected } from "../src/command-kit/parse";
import { UserError } from "../src/core/errors";
import { viewerOf } from "../src/core/people/visibility";
import type { Reply, Section } from "../src/core/reply";
import { type Distribution, looksLikeSince, parseSince, type StatsRow, supportStats } from "../src/core/support/stats";
import { formatDuration } from "../src/core/text";
import type { Translator } from "../src/i18n/translate";

/** Chat platforms cap a message's blocks; the busiest communities are shown, the text names how many more. */
const MAX_SECTIONS = 25;

type Measure = "firstResponse" | "resolution";

const dist = (t: Translator, d: Distribution | undefined, what: Measure) =>
  d
    ? t.t("support.stats.dist", { what, median: formatDuration(d.medianMs, t), p90: formatDuration(d.p90Ms, t), count: d.count })
    : t.t("support.stats.distNone", { what });

/** One community's figures on one line (the name goes in front, or "Overall"). */
const figures = (t: Translator, r: StatsRow) =>
  [
    t.t("support.stats.tickets", { count: r.opened, unresolved: r.unresolved }),
    dist(t, r.firstResponse, "firstResponse"),
    dist(t, r.resolution, "resolution"),
    t.t("support.stats.reopens", { count: r.reopens }),
    ...(r.helpful + r.notHelpful ? [t.t("support.stats.rated", { helpful: r.helpful, notHelpful: r.notHelpful })] : []),
  ].join(" · ");

const medianP90 = (t: Translator, d: Distribution | undefined) =>
  d ? t.t("support.stats.medianP90", { median: formatDuration(d.medianMs, t), p90: formatDuration(d.p90Ms, t) }) : t.t("support.noneYet");

const section = (t: Translator, r: StatsRow, title: string): Section => ({
  title,
  fields: [
    { label: t.t("support.stats.ticketsLabel"), value: t.t("support.stats.ticketsValue", { opened: r.opened, unresolved: r.unresolved }) },
    { label: t.t("support.field.firstResponse"), value: medianP90(t, r.firstResponse) },
    { label: t.t("support.stats.resolutionLabel"), value: medianP90(t, r.resolution) },
    { label: t.t("support.stats.reopensLabel"), value: t.number(r.reopens) },
  ],
});

export default defineCommand({
  name: "support-stats",
  descriptionKey: "support.cmd.stats.description",
  role: "steward",
  communityOptional: true,
  usage: "[community] [since: 2026-11-01 | 30d | 4w | all]",
  options: [
    { name: "community", type: "string", descriptionKey: "support.cmd.stats.option.community", autocomplete: "community" },
    { name: "since", type: "string", descriptionKey: "support.cmd.stats.option.since", example: "30d" },
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
    community: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/, { message: says("support.cmd.stats.communitySlug") }).optional(),
    since: z.string().trim().max(20).default("30d"),
  }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    // Stewards see their own community (and the overall figures), staff any.
    if (actor.role !== "staff") {
      if (o.community && o.community !== actor.communitySlug) throw new UserError({ key: "support.stats.ownOnly" });
    }
    const scope = actor.role === "staff" ? o.community : o.community ?? actor.communitySlug ?? undefined;
    const since = parseSince(o.since, services.clock.now());
    const viewer = viewerOf(actor);
    const report = await supportStats(services, { viewer, communitySlug: scope, since, t });
    const overall = actor.role === "staff" || !scope ? report.overall : (await supportStats(services, { viewer, since, t })).overall;
    // The date stays in the form /support-stats takes, so it can be typed back.
    const period = { since: since ? since.toISOString().slice(0, 10) : "all" };
    if (!report.rows.length && !overall.opened) return { text: t.t("support.stats.none", period), ephemeral: true };
    const rows = report.rows.slice(0, MAX_SECTIONS);
    const more = report.rows.length - rows.length;
    const text = [
      t.t("support.stats.heading", { ...period, scope: scope ?? "", hasScope: scope ? "yes" : "no" }),
      ...rows.map((r) => t.t("support.stats.row", { name: r.name, figures: figures(t, r) })),
      ...(more > 0 ? [t.t("support.stats.more", { count: more })] : []),
      t.t("support.stats.overall", { figures: figures(t, overall) }),
    ].join("\n");
    return {
      text,
      title: t.t("support.stats.title", period),
      sections: [...rows.map((r) => section(t, r, r.name)), section(t, overall, t.t("support.stats.overallTitle"))],
      ephemeral: true,
    };
  },
});
