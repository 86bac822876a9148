import { createInterface } from "node:readline";
import type { Services } from "../../core/context";
import { dispatchLine } from "../../command-kit/dispatch";
import { expandAlias } from "./aliases";
import { renderText } from "./render";
import { ShellScreen } from "./screen";
import { shellSpeaker } from "./speaker";

const AS_USAGE = "Usage: /as <name> [community] switches who is typing, e.g. /as bob";

/** Who is typing, as the prompt says it. */
const whoIs = (w: { name: string; community?: string }) => `${w.name}${w.community ? ` in ${w.community}` : ""}`;

/**
 * The interactive terminal bot (like Hubot's shell): each line is a slash command run as the
 * local user. `/as <name> [community]` switches who is typing, to try voting as others.
 * Whatever else prints meanwhile (notifications) goes through the screen, above the prompt.
 */
export function startRepl(
  services: Services,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; screen?: ShellScreen },
  who: { name: string; community?: string },
): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, prompt: "flywheel> ", terminal: (io.input as { isTTY?: boolean }).isTTY === true });
  const screen = io.screen ?? new ShellScreen(io.output);
  screen.attach(rl);
  const slugs = services.config.communities.map((c) => c.slug);
  let current = { ...who };
  const say = (s: string) => screen.print(s);
  const communities = slugs.length ? ` Communities: ${slugs.join(", ")}.` : "";
  say(`Flywheel terminal. You are ${whoIs(current)}.${communities} Type /help, or /as <name> [community] to switch user, /quit to leave.`);
  screen.prompt();
  let queue = Promise.resolve();
  return new Promise((resolve) => {
    rl.on("line", (line) => {
      queue = queue.then(async () => {
        screen.busy();
        const text = line.trim();
        if (!text) return screen.prompt();
        if (text === "/quit" || text === "/exit") return rl.close();
        const as = /^\/as(?:\s+(\S+))?(?:\s+(\S+))?(\s+\S.*)?$/.exec(text);
        if (as) {
          const [, name, community, extra] = as;
          if (!name || extra) say(AS_USAGE + (slugs.length ? `, or /as bob ${slugs[0]} (communities: ${slugs.join(", ")}).` : "."));
          else if (community && !slugs.includes(community)) say(`✗ There is no community "${community}". Communities: ${slugs.join(", ") || "none yet"}. Nothing changed.`);
          else {
            current = { name, community: community ?? current.community };
            say(`You are now ${whoIs(current)}.`);
          }
          return screen.prompt();
        }
        const { speaker, place } = shellSpeaker(current.name, current.community);
        const reply = await dispatchLine(services, expandAlias(text), speaker, place);
        say(renderText(reply));
        screen.prompt();
      });
    });
    rl.on("close", () =>
      void queue.then(() => {
        screen.detach();
        resolve();
      }),
    );
  });
}
