import { z } from "zod";
import { defineCommand, describe, usageOf } from "../src/command-kit/define";
import { commandList } from "../src/command-kit/registry";
import { hasRole } from "../src/core/people/permissions";

export default defineCommand({
  name: "help",
  descriptionKey: "commands.help.description",
  role: "member",
  communityOptional: true,
  options: [{ name: "command", type: "string", descriptionKey: "commands.help.option.command", example: "upvote" }],
  schema: z.object({ command: z.string().optional() }),
  async run({ options, actor, t }) {
    const all = commandList().filter((c) => hasRole(actor.role, c.role));
    if (options.command) {
      const name = options.command.replace(/^\//, "").toLowerCase();
      const c = all.find((x) => x.name === name);
      if (!c) return { text: t.t("commands.help.noSuchCommand", { command: `/${name}`, help: "/help" }), ephemeral: true, error: true };
      const opts = c.options.map((o) => `  ${o.name}: ${o.required ? t.t("commands.help.required", { description: describe(o, t) }) : describe(o, t)}`).join("\n");
      return { text: `/${c.name} ${usageOf(c)}\n${describe(c, t)}${opts ? `\n${opts}` : ""}`, ephemeral: true };
    }
    const lines = all.map((c) => `/${c.name} ${usageOf(c)} — ${describe(c, t)}`.replace(/ {2,}/g, " "));
    return { text: `${t.t("commands.help.heading")}\n${lines.join("\n")}`, ephemeral: true };
  },
});
