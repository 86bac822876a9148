import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { followMerges } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "feedback",
  descriptionKey: "commands.feedback.description",
  role: "member",
  options: [
    { name: "number", type: "integer", descriptionKey: "commands.option.requestNumber", required: true, min: 1, autocomplete: "request" },
    { name: "text", type: "string", descriptionKey: "commands.feedback.option.text", required: true, rest: true, maxLength: 2000, exampleKey: "commands.example.feedback" },
  ],
  schema: z.object({
    number: requestNumber,
    text: z
      .string({ message: says("commands.feedback.missing") })
      .trim()
      .min(2, { message: says("commands.feedback.missing") })
      .max(2000, { message: says("commands.feedback.tooLong") }),
  }),
  async run({ options: o, actor, services, t }) {
    const r = await followMerges(services, o.number);
    await services.db.feedback.create({
      data: { requestId: r.id, personId: actor.personId, communityId: actor.communityId, body: o.text, createdAt: services.clock.now() },
    });
    return { text: t.t("commands.feedback.thanks", { number: r.id }), ephemeral: true, buttons: [{ label: t.t("commands.button.details"), command: `request-show ${r.id}` }] };
  },
});
