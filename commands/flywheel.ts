import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { UMBRELLA } from "../src/command-kit/umbrella";

/**
 * `/flywheel <command> [text]`. Dispatch runs the named command itself (see command-kit/umbrella),
 * so this only answers `/flywheel flywheel`, with how to use it.
 */
export default defineCommand({
  name: UMBRELLA,
  descriptionKey: "commands.flywheel.description",
  descriptionValues: { example: `/${UMBRELLA} upvote 12` },
  role: "member",
  communityOptional: true,
  options: [
    { name: "command", type: "string", descriptionKey: "commands.flywheel.option.command", required: true, example: "upvote" },
    { name: "text", type: "string", descriptionKey: "commands.flywheel.option.text", rest: true },
  ],
  usage: "<command> [text]",
  // A bare /flywheel is an option error like any other: it says what to give and shows the usage.
  schema: z.object({ command: z.string(), text: z.string().optional() }),
  async run({ t }) {
    return {
      text: t.t("commands.flywheel.usage", { usage: `/${UMBRELLA} <command> [text]`, example: `/${UMBRELLA} upvote 12`, help: `/${UMBRELLA} help` }),
      ephemeral: true,
    };
  },
});
