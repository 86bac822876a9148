import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { upvote } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "upvote",
  description: "Vote for a feature request on behalf of your community",
  role: "member",
  options: [{ name: "number", type: "integer", description: "Request number, e.g. 12", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, place, services, t }) {
    const out = await upvote(services, actor, options.number, place);
    const via = out.redirectedFrom ? `#${out.redirectedFrom} was merged into #${out.requestId}, so ` : "";
    if (out.kind === "already") return { text: `${via}You already voted for #${out.requestId}.`, ephemeral: true };
    return {
      text: `${via}Your vote for #${out.requestId} is counted for ${actor.communitySlug ?? "your community"}.`,
      ephemeral: true,
      buttons: requestButtons(t, out.requestId).slice(1),
    };
  },
});
