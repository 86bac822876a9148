import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { inOrder } from "../src/command-kit/parse";
import { mergeRequests } from "../src/core/requests/merge";
import { requestNumber } from "../src/core/schemas";
import { plural } from "../src/core/text";

const options = [
  { name: "from", type: "integer", description: "The duplicate request", required: true, min: 1, autocomplete: "request" },
  { name: "into", type: "integer", description: "The request that survives", required: true, min: 1, autocomplete: "request" },
] as const;

export default defineCommand({
  name: "merge",
  description: "Staff: merge a duplicate request into another (votes, pledges and feedback move)",
  role: "staff",
  usage: "<from> into <to>",
  options: [...options],
  // "/merge 12 into 15": the word "into" is optional.
  readWords: (words) => inOrder(words.filter((w, i) => !(i === 1 && w.toLowerCase() === "into")), ["from", "into"]),
  schema: z.object({ from: requestNumber, into: requestNumber }),
  async run({ options: o, actor, services }) {
    const m = await mergeRequests(services, o.from, o.into, actor.personId);
    return {
      text: `Merged #${m.from} into #${m.into}: ${plural(m.votesMoved, "vote")} moved (${plural(m.duplicateVoters, "person", "people")} had voted on both and count once), ${plural(m.pledgesMoved, "pledge")} and ${plural(m.feedbackMoved, "comment")} moved.`,
      buttons: [{ label: `Details of #${m.into}`, command: `request-show ${m.into}` }],
    };
  },
});
