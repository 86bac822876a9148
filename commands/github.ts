import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { statusLabel } from "../src/core/requests/requests";
import { itemKey } from "../src/core/github/refs";
import { confirmSuggestion, linkRequest, openIssueForRequest, type LinkOutcome } from "../src/core/github/link";
import type { Reply } from "../src/core/reply";
import type { Translator } from "../src/i18n/translate";
import { requestNumber } from "../src/core/schemas";
import { truncate } from "../src/core/text";

const ACTIONS = ["link", "issue", "confirm"] as const;

const describe = (o: LinkOutcome, t: Translator): string =>
  o.item.title ? t.t("commands.github.item", { key: itemKey(o.item), title: truncate(o.item.title, 80) }) : itemKey(o.item);

export default defineCommand({
  name: "github",
  descriptionKey: "commands.github.description",
  role: "staff",
  usage: "link <request> <owner/repo#number or URL> | confirm <request> <owner/repo#number> | issue <request> [owner/repo]",
  options: [
    { name: "action", type: "string", descriptionKey: "commands.github.option.action", required: true, choices: ACTIONS },
    { name: "request", type: "integer", descriptionKey: "commands.option.requestNumberExample", required: true, min: 1, autocomplete: "request" },
    { name: "target", type: "string", descriptionKey: "commands.github.option.target", maxLength: 300, example: "octo-org/app#34" },
  ],
  schema: z
    .object({
      action: z.enum(ACTIONS, { message: says("commands.github.actionChoice") }),
      request: requestNumber,
      target: z.string().trim().max(300, { message: says("commands.github.targetTooLong") }).optional(),
    })
    .refine((o) => o.action === "issue" || Boolean(o.target), {
      message: says("commands.github.targetMissing"),
      path: ["target"],
    }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    if (o.action === "link") {
      const out = await linkRequest(services, o.request, o.target!);
      const values = { number: out.requestId, title: out.title, item: describe(out, t), status: statusLabel(t, out.status) };
      const linked = out.previous && out.previous !== out.requestId ? t.t("commands.github.relinked", { ...values, previous: out.previous }) : t.t("commands.github.linked", values);
      return {
        text: `${linked}\n${out.item.url}`,
        ephemeral: true,
        buttons: requestButtons(t, out.requestId).slice(2),
      };
    }
    if (o.action === "confirm") {
      const out = await confirmSuggestion(services, actor, o.request, o.target!);
      return {
        text: `${t.t("commands.github.confirmed", { item: describe(out, t), number: out.requestId, title: out.title, status: statusLabel(t, out.status) })}\n${out.item.url}`,
        ephemeral: true,
        buttons: requestButtons(t, out.requestId).slice(2),
      };
    }
    const out = await openIssueForRequest(services, actor, o.request, o.target);
    return {
      text: `${t.t("commands.github.opened", { item: itemKey(out.item), number: out.requestId, title: out.title })}\n${out.item.url}`,
      ephemeral: true,
      buttons: requestButtons(t, out.requestId).slice(2),
    };
  },
});
