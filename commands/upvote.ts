import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import type { Actor } from "../src/core/context";
import type { Reply } from "../src/core/reply";
import { upvote, upvoteAsSpeaker, type VoteOutcome } from "../src/core/requests/requests";
import type { Translator } from "../src/i18n/translate";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "upvote",
  descriptionKey: "commands.upvote.description",
  role: "member",
  options: [{ name: "number", type: "integer", descriptionKey: "commands.option.requestNumberExample", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, place, services, t }) {
    return answer(await upvote(services, actor, options.number, place), actor, t);
  },
  // A new vote by a known member where they speak: one statement with who is asking.
  async fast({ options, speaker, place, services, delivery }) {
    const out = await upvoteAsSpeaker(services, speaker, options.number, place, delivery);
    if (out.kind !== "voted") return out;
    return { kind: "answered", actor: out.actor, answer: (t) => answer({ kind: "voted", requestId: out.requestId }, out.actor, t) };
  },
});

function answer(out: VoteOutcome, actor: Actor, t: Translator): Reply {
  const n = { number: out.requestId };
  // A vote for a merged request lands on the survivor; the answer says so first.
  const via = (answer: string) => (out.redirectedFrom ? t.t("commands.upvote.redirected", { from: out.redirectedFrom, number: out.requestId, answer }) : answer);
  if (out.kind === "already") return { text: via(t.t("commands.upvote.already", n)), ephemeral: true };
  return {
    text: via(actor.communitySlug ? t.t("commands.upvote.counted", { ...n, community: actor.communitySlug }) : t.t("commands.upvote.countedNoCommunity", n)),
    ephemeral: true,
    buttons: requestButtons(t, out.requestId).slice(1),
  };
}
