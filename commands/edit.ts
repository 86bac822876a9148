import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { DETAILS_MAX, getRequest, TITLE_MAX, TITLE_MIN } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "edit",
  descriptionKey: "commands.edit.description",
  role: "staff",
  options: [
    { name: "number", type: "integer", descriptionKey: "commands.option.requestNumber", required: true, min: 1, autocomplete: "request" },
    { name: "field", type: "string", descriptionKey: "commands.edit.option.field", required: true, choices: ["title", "details"] },
    { name: "text", type: "string", descriptionKey: "commands.edit.option.text", required: true, rest: true, maxLength: DETAILS_MAX, exampleKey: "commands.example.requestTitle" },
  ],
  schema: z
    .object({
      number: requestNumber,
      field: z.enum(["title", "details"], { message: says("commands.edit.fieldChoice") }),
      text: z.string({ message: says("commands.edit.textMissing") }).trim(),
    })
    .superRefine((o, ctx) => {
      if (o.field === "title" && (o.text.length < TITLE_MIN || o.text.length > TITLE_MAX))
        ctx.addIssue({ code: "custom", path: ["text"], message: says("commands.edit.titleLength"), params: { min: TITLE_MIN, max: TITLE_MAX } });
      if (o.field === "details" && o.text.length > DETAILS_MAX)
        ctx.addIssue({ code: "custom", path: ["text"], message: says("commands.edit.detailsTooLong"), params: { max: DETAILS_MAX } });
    }),
  async run({ options: o, services, t }) {
    const r = await getRequest(services, o.number);
    await services.db.featureRequest.update({ where: { id: r.id }, data: o.field === "title" ? { title: o.text } : { body: o.text } });
    return { text: t.t("commands.edit.updated", { field: o.field, number: r.id }), ephemeral: true, buttons: [{ label: t.t("commands.button.details"), command: `request-show ${r.id}` }] };
  },
});
