import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { UMBRELLA } from "../src/command-kit/umbrella";

/**
 * `/flywheel <command> [text]`. Dispatch runs the named command itself (see command-kit/umbrella),
 * so this only answers `/flywheel flywheel`, with how to use it.
 */
export default defineCommand({
  name: UMBRELLA,
  description: "Run any Flywheel command, e.g. /flywheel upvote 12 (when another app owns a name)",
  role: "member",
  communityOptional: true,
  options: [
    { name: "command", type: "string", description: "The command to run, e.g. upvote", required: true, example: "upvote" },
    { name: "text", type: "string", description: "What you would type after it, e.g. 12", rest: true },
  ],
  usage: "<command> [text]",
  // A bare /flywheel is an option error like any other: it says what to give and shows the usage.
  schema: z.object({ command: z.string(), text: z.string().optional() }),
  async run() {
    return { text: `Usage: /${UMBRELLA} <command> [text], e.g. /${UMBRELLA} upvote 12. Type /${UMBRELLA} help for every command.`, ephemeral: true };
  },
});
