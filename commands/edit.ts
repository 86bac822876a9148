import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { DETAILS_MAX, getRequest, TITLE_MAX, TITLE_MIN } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "edit",
  description: "Staff: change a request's title or details",
  role: "staff",
  options: [
    { name: "number", type: "integer", description: "Request number", required: true, min: 1, autocomplete: "request" },
    { name: "field", type: "string", description: "What to change", required: true, choices: ["title", "details"] },
    { name: "text", type: "string", description: "The new text", required: true, rest: true, maxLength: DETAILS_MAX, example: "Faster image builds" },
  ],
  schema: z
    .object({
      number: requestNumber,
      field: z.enum(["title", "details"], { message: "Say what to change: title or details." }),
      text: z.string({ message: "Give the new text after the field." }).trim(),
    })
    .superRefine((o, ctx) => {
      if (o.field === "title" && (o.text.length < TITLE_MIN || o.text.length > TITLE_MAX))
        ctx.addIssue({ code: "custom", path: ["text"], message: `A title has ${TITLE_MIN}–${TITLE_MAX} characters.` });
      if (o.field === "details" && o.text.length > DETAILS_MAX)
        ctx.addIssue({ code: "custom", path: ["text"], message: `Details can be at most ${DETAILS_MAX} characters.` });
    }),
  async run({ options: o, services }) {
    const r = await getRequest(services, o.number);
    await services.db.featureRequest.update({ where: { id: r.id }, data: o.field === "title" ? { title: o.text } : { body: o.text } });
    return { text: `Updated the ${o.field} of #${r.id}.`, ephemeral: true, buttons: [{ label: "Details", command: `request-show ${r.id}` }] };
  },
});
