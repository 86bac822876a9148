import { createInterface } from "node:readline";
import type { Services } from "../../core/context";
import { dispatchLine } from "../../command-kit/dispatch";
import { renderText } from "./render";
import { shellSpeaker } from "./speaker";

/**
 * The interactive terminal bot (like Hubot's shell): each line is a slash command run as the
 * local user. `/as <name> [community]` switches who is typing, to try voting as others.
 */
export function startRepl(
  services: Services,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream },
  who: { name: string; community?: string },
): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, prompt: "flywheel> ", terminal: (io.input as { isTTY?: boolean }).isTTY === true });
  let current = { ...who };
  const write = (s: string) => io.output.write(s.endsWith("\n") ? s : `${s}\n`);
  write(`Flywheel terminal. You are ${current.name}${current.community ? ` in ${current.community}` : ""}. Type /help, or /as <name> [community] to switch user, /quit to leave.`);
  rl.prompt();
  let queue = Promise.resolve();
  return new Promise((resolve) => {
    rl.on("line", (line) => {
      queue = queue.then(async () => {
        const text = line.trim();
        if (!text) return rl.prompt();
        if (text === "/quit" || text === "/exit") return rl.close();
        const as = /^\/as\s+(\S+)(?:\s+(\S+))?$/.exec(text);
        if (as) {
          current = { name: as[1], community: as[2] ?? current.community };
          write(`You are now ${current.name}${current.community ? ` in ${current.community}` : ""}.`);
          return rl.prompt();
        }
        const { speaker, place } = shellSpeaker(current.name, current.community);
        const reply = await dispatchLine(services, text, speaker, place);
        write(renderText(reply));
        rl.prompt();
      });
    });
    rl.on("close", () => void queue.then(() => resolve()));
  });
}
