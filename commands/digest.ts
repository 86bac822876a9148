import { z } from "zod";
import { defineCommand, type OptionSpec } from "../src/command-kit/define";
import { inOrder, parsed } from "../src/command-kit/parse";
import { buildDigest, communityBySlug, describeOutcome, postDigest } from "../src/core/digest/digest";
import { hasRole, refusal } from "../src/core/people/permissions";
import { errorReply, type Reply } from "../src/core/reply";
import { formatWeekRange, parseWeek, weekContaining } from "../src/core/weeks";

const options: OptionSpec[] = [
  { name: "community", type: "string", description: "Which community (its slug); yours by default", autocomplete: "community" },
  { name: "send", type: "boolean", keyword: true, description: "Staff: post it to the community's channels now" },
  { name: "week", type: "string", keyword: true, description: "Another week: a date like 2026-11-25 or 2026-W48 (default: this week)", example: "2026-W48" },
];

export default defineCommand({
  name: "digest",
  description: "Preview this week's digest (staff: /digest send <community> posts it now)",
  role: "member",
  communityOptional: true,
  options,
  usage: "[community] [--week <date>] | send <community> [--week <date>]",
  // "/digest send alpha" reads as a verb, as people type it; "--send" works too.
  readWords(words) {
    if (words[0]?.toLowerCase() !== "send") return inOrder(words, ["community"]);
    const rest = inOrder(words.slice(1), ["community"]);
    return rest.ok ? parsed({ ...rest.options, send: true }) : rest;
  },
  schema: z.object({
    community: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: "Give a community slug, like alpha." }).optional(),
    send: z.boolean().default(false),
    week: z.string().min(1, { message: "Give a week: a date like 2026-11-25 or an ISO week like 2026-W48." }).max(20).optional(),
  }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    if (o.send) {
      if (!hasRole(actor.role, "staff")) return errorReply(refusal(t, "staff"));
      if (!o.community) return errorReply("Name the community to post to: /digest send <community>.");
    }
    const slug = o.community ?? actor.communitySlug;
    if (!slug) return errorReply("Name a community: /digest <community>.");
    if (slug !== actor.communitySlug && !hasRole(actor.role, "staff"))
      return errorReply(`You can preview your own community's digest${actor.communitySlug ? ` (/digest ${actor.communitySlug})` : ""}; only staff can see another community's.`);
    const community = await communityBySlug(services, slug);
    const week = o.week ? parseWeek(o.week, community.timezone) : weekContaining(services.clock.now(), community.timezone);

    if (o.send) {
      const by = `${actor.platform}:${actor.externalId}`;
      const outcome = await postDigest(services, community, week, by, { recordEmpty: false });
      return { text: describeOutcome(community, outcome), ephemeral: true, error: outcome.kind === "already" ? true : undefined };
    }

    const digest = await buildDigest(services, community, week);
    if (digest.empty)
      return {
        text: `Nothing has happened for ${community.name} in ${week.label} (${formatWeekRange(week)}) yet, so no digest would be posted.`,
        ephemeral: true,
      };
    const note = `Preview, only you see this. It is posted to ${community.name}'s channels once the week is over.`;
    return {
      ...digest.reply,
      title: `Preview · ${digest.reply.title}`,
      text: `${note}\n\n${digest.reply.text}`,
      ephemeral: true,
      buttons: [
        ...(digest.reply.buttons ?? []),
        ...(hasRole(actor.role, "staff") ? [{ label: "Post it now", command: `digest send ${community.slug} --week ${week.label}`, style: "primary" as const }] : []),
      ],
    };
  },
});
