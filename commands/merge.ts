import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { inOrder } from "../src/command-kit/parse";
import { mergeRequests } from "../src/core/requests/merge";
import { requestNumber } from "../src/core/schemas";

const options = [
  { name: "from", type: "integer", descriptionKey: "commands.merge.option.from", required: true, min: 1, autocomplete: "request" },
  { name: "into", type: "integer", descriptionKey: "commands.merge.option.into", required: true, min: 1, autocomplete: "request" },
] as const;

export default defineCommand({
  name: "merge",
  descriptionKey: "commands.merge.description",
  role: "staff",
  usage: "<from> into <to>",
  options: [...options],
  // "/merge 12 into 15": the word "into" is optional.
  readWords: (words) => inOrder(words.filter((w, i) => !(i === 1 && w.toLowerCase() === "into")), ["from", "into"]),
  schema: z.object({ from: requestNumber, into: requestNumber }),
  async run({ options: o, actor, services, t }) {
    const m = await mergeRequests(services, o.from, o.into, actor.personId);
    return {
      text: t.t("commands.merge.merged", { from: m.from, into: m.into, votes: m.votesMoved, people: m.duplicateVoters, pledges: m.pledgesMoved, comments: m.feedbackMoved }),
      buttons: [{ label: t.t("commands.merge.detailsOf", { number: m.into }), command: `request-show ${m.into}` }],
    };
  },
});
