import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { followMerges } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "feedback",
  description: "Add a comment to a feature request",
  role: "member",
  options: [
    { name: "number", type: "integer", description: "Request number", required: true, min: 1, autocomplete: "request" },
    { name: "text", type: "string", description: "Your comment", required: true, rest: true, maxLength: 2000, example: "We need this for exams" },
  ],
  schema: z.object({
    number: requestNumber,
    text: z
      .string({ message: "Write your comment after the number, e.g. /feedback 12 We need this for exams." })
      .trim()
      .min(2, { message: "Write your comment after the number, e.g. /feedback 12 We need this for exams." })
      .max(2000, { message: "Keep feedback under 2000 characters." }),
  }),
  async run({ options: o, actor, services }) {
    const r = await followMerges(services, o.number);
    await services.db.feedback.create({
      data: { requestId: r.id, personId: actor.personId, communityId: actor.communityId, body: o.text, createdAt: services.clock.now() },
    });
    return { text: `Thanks, your feedback is on #${r.id}.`, ephemeral: true, buttons: [{ label: "Details", command: `request-show ${r.id}` }] };
  },
});
