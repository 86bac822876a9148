import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { fileAnyway, openForumPost } from "../src/core/requests/forum";
import { requestButtons } from "../src/core/requests/cards";

const ACTIONS = ["open", "file"] as const;

export default defineCommand({
  name: "forum",
  descriptionKey: "forum.cmd.description",
  role: "member",
  usage: "open <request number> | file <post id>",
  options: [
    { name: "action", type: "string", descriptionKey: "forum.cmd.option.action", required: true, choices: ACTIONS, example: "open" },
    { name: "target", type: "string", descriptionKey: "forum.cmd.option.target", required: true, maxLength: 30, example: "12" },
  ],
  schema: z.object({
    action: z.enum(ACTIONS, { message: says("forum.cmd.actionChoice") }),
    target: z
      .string({ message: says("forum.cmd.targetMissing") })
      .trim()
      .regex(/^#?\d{1,25}$/, { message: says("forum.cmd.targetShape") })
      .transform((v) => v.replace(/^#/, "")),
  }),
  async run({ options: o, actor, services, t }) {
    if (o.action === "open") {
      const r = await openForumPost(services, actor, Number(o.target));
      return r.opened
        ? { text: t.t("forum.cmd.opening", { number: r.requestId }), ephemeral: true }
        : { text: t.t("forum.cmd.alreadyOpen", { number: r.requestId, hasUrl: r.url ? "yes" : "no", url: r.url ?? "" }), ephemeral: true };
    }
    const r = await fileAnyway(services, actor, o.target);
    return {
      text: r.already ? t.t("forum.cmd.alreadyFiled", { number: r.requestId }) : t.t("forum.cmd.filedAnyway", { number: r.requestId }),
      ephemeral: true,
      buttons: requestButtons(t, r.requestId).slice(2),
    };
  },
});
