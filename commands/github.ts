import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { statusLabel } from "../src/core/requests/requests";
import { itemKey } from "../src/core/github/refs";
import { confirmSuggestion, linkRequest, openIssueForRequest, type LinkOutcome } from "../src/core/github/link";
import type { Reply } from "../src/core/reply";
import { requestNumber } from "../src/core/schemas";
import { truncate } from "../src/core/text";

const ACTIONS = ["link", "issue", "confirm"] as const;

const describe = (o: LinkOutcome): string => `${itemKey(o.item)}${o.item.title ? ` (${truncate(o.item.title, 80)})` : ""}`;

export default defineCommand({
  name: "github",
  description: "Link a request to a GitHub issue or PR, confirm a suggested link, or open an issue (staff)",
  role: "staff",
  usage: "link <request> <owner/repo#number or URL> | confirm <request> <owner/repo#number> | issue <request> [owner/repo]",
  options: [
    { name: "action", type: "string", description: "link an existing issue/PR, confirm a suggested link, or open a new issue", required: true, choices: ACTIONS },
    { name: "request", type: "integer", description: "Request number, e.g. 12", required: true, min: 1, autocomplete: "request" },
    { name: "target", type: "string", description: "link, confirm: owner/repo#number or its URL; issue: owner/repo (default from config)", maxLength: 300, example: "octo-org/app#34" },
  ],
  schema: z
    .object({
      action: z.enum(ACTIONS, { message: "Say what to do: /github link <request> <owner/repo#number>, /github confirm <request> <owner/repo#number> or /github issue <request> [owner/repo]." }),
      request: requestNumber,
      target: z.string().trim().max(300, { message: "That reference is too long." }).optional(),
    })
    .refine((o) => o.action === "issue" || Boolean(o.target), {
      message: "Name the issue or pull request to link or confirm, e.g. /github link 12 octo-org/app#34 or its URL.",
      path: ["target"],
    }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    if (o.action === "link") {
      const out = await linkRequest(services, o.request, o.target!);
      const moved = out.previous && out.previous !== out.requestId ? ` (it was linked to #${out.previous} before)` : "";
      return {
        text: `Linked #${out.requestId} ${out.title} to ${describe(out)}${moved}. Its status (now ${statusLabel(t, out.status)}) follows GitHub from here.\n${out.item.url}`,
        ephemeral: true,
        buttons: requestButtons(t, out.requestId).slice(2),
      };
    }
    if (o.action === "confirm") {
      const out = await confirmSuggestion(services, actor, o.request, o.target!);
      return {
        text: `Confirmed: ${describe(out)} is linked to #${out.requestId} ${out.title}, now ${statusLabel(t, out.status)}. Its status follows GitHub from here.\n${out.item.url}`,
        ephemeral: true,
        buttons: requestButtons(t, out.requestId).slice(2),
      };
    }
    const out = await openIssueForRequest(services, actor, o.request, o.target);
    return {
      text: `Opened ${itemKey(out.item)} for #${out.requestId} ${out.title} and linked them.\n${out.item.url}`,
      ephemeral: true,
      buttons: requestButtons(t, out.requestId).slice(2),
    };
  },
});
