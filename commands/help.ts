import { z } from "zod";
import { defineCommand, usageOf } from "../src/command-kit/define";
import { commandList } from "../src/command-kit/registry";
import { hasRole } from "../src/core/people/permissions";

export default defineCommand({
  name: "help",
  description: "List what Flywheel can do",
  role: "member",
  communityOptional: true,
  options: [{ name: "command", type: "string", description: "A command to explain", example: "upvote" }],
  schema: z.object({ command: z.string().optional() }),
  async run({ options, actor }) {
    const all = commandList().filter((c) => hasRole(actor.role, c.role));
    if (options.command) {
      const name = options.command.replace(/^\//, "").toLowerCase();
      const c = all.find((x) => x.name === name);
      if (!c) return { text: `There is no /${name} you can use. Type /help for the list.`, ephemeral: true, error: true };
      const opts = c.options.map((o) => `  ${o.name}: ${o.description}${o.required ? " (required)" : ""}`).join("\n");
      return { text: `/${c.name} ${usageOf(c)}\n${c.description}${opts ? `\n${opts}` : ""}`, ephemeral: true };
    }
    const lines = all.map((c) => `/${c.name} ${usageOf(c)} — ${c.description}`.replace(/ {2,}/g, " "));
    return { text: `Flywheel commands:\n${lines.join("\n")}`, ephemeral: true };
  },
});
