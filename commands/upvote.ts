import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { upvote } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "upvote",
  descriptionKey: "commands.upvote.description",
  role: "member",
  options: [{ name: "number", type: "integer", descriptionKey: "commands.option.requestNumberExample", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, place, services, t }) {
    const out = await upvote(services, actor, options.number, place);
    const n = { number: out.requestId };
    // A vote for a merged request lands on the survivor; the answer says so first.
    const via = (answer: string) => (out.redirectedFrom ? t.t("commands.upvote.redirected", { from: out.redirectedFrom, number: out.requestId, answer }) : answer);
    if (out.kind === "already") return { text: via(t.t("commands.upvote.already", n)), ephemeral: true };
    return {
      text: via(actor.communitySlug ? t.t("commands.upvote.counted", { ...n, community: actor.communitySlug }) : t.t("commands.upvote.countedNoCommunity", n)),
      ephemeral: true,
      buttons: requestButtons(t, out.requestId).slice(1),
    };
  },
});
