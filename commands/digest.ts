import { z } from "zod";
import { defineCommand, type OptionSpec, says } from "../src/command-kit/define";
import { inOrder, parsed } from "../src/command-kit/parse";
import { buildDigest, communityBySlug, describeOutcome, postDigest } from "../src/core/digest/digest";
import { hasRole, refusal } from "../src/core/people/permissions";
import { errorReply, type Reply } from "../src/core/reply";
import { formatWeekRange, parseWeek, weekContaining } from "../src/core/weeks";

const SEND_USAGE = "/digest send <community>";

const options: OptionSpec[] = [
  { name: "community", type: "string", descriptionKey: "commands.digest.option.community", autocomplete: "community" },
  { name: "send", type: "boolean", keyword: true, descriptionKey: "commands.digest.option.send" },
  { name: "week", type: "string", keyword: true, descriptionKey: "commands.digest.option.week", example: "2026-W48" },
];

export default defineCommand({
  name: "digest",
  descriptionKey: "commands.digest.description",
  descriptionValues: { sendUsage: SEND_USAGE },
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
    community: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: says("commands.communitySlugShape") }).optional(),
    send: z.boolean().default(false),
    week: z.string().min(1, { message: says("commands.digest.weekShape") }).max(20).optional(),
  }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    if (o.send) {
      if (!hasRole(actor.role, "staff")) return errorReply(refusal(t, "staff"));
      if (!o.community) return errorReply(t.t("commands.digest.nameSendCommunity", { usage: SEND_USAGE }));
    }
    const slug = o.community ?? actor.communitySlug;
    if (!slug) return errorReply(t.t("commands.digest.nameCommunity", { usage: "/digest <community>" }));
    if (slug !== actor.communitySlug && !hasRole(actor.role, "staff"))
      return errorReply(
        actor.communitySlug ? t.t("commands.digest.ownOnly", { usage: `/digest ${actor.communitySlug}` }) : t.t("commands.digest.ownOnlyUnlinked"),
      );
    const community = await communityBySlug(services, slug);
    const week = o.week ? parseWeek(o.week, community.timezone) : weekContaining(services.clock.now(), community.timezone);

    if (o.send) {
      const by = `${actor.platform}:${actor.externalId}`;
      const outcome = await postDigest(services, community, week, by, { recordEmpty: false });
      return { text: describeOutcome(t, community, outcome), ephemeral: true, error: outcome.kind === "already" ? true : undefined };
    }

    const digest = await buildDigest(services, community, week);
    if (digest.empty)
      return {
        text: t.t("commands.digest.nothingYet", { community: community.name, week: week.label, range: formatWeekRange(week) }),
        ephemeral: true,
      };
    const note = t.t("commands.digest.previewNote", { community: community.name });
    return {
      ...digest.reply,
      title: t.t("commands.digest.previewTitle", { title: digest.reply.title }),
      text: `${note}\n\n${digest.reply.text}`,
      ephemeral: true,
      buttons: [
        ...(digest.reply.buttons ?? []),
        ...(hasRole(actor.role, "staff") ? [{ label: t.t("commands.digest.postNow"), command: `digest send ${community.slug} --week ${week.label}`, style: "primary" as const }] : []),
      ],
    };
  },
});
