import { createInterface } from "node:readline";
import type { Services } from "../../core/context";
import { dispatchLine } from "../../command-kit/dispatch";
import type { Translator } from "../../i18n/translate";
import { speakerTranslator } from "../language";
import { expandAlias } from "./aliases";
import { renderText } from "./render";
import { ShellScreen } from "./screen";
import { shellSpeaker } from "./speaker";

type Who = { name: string; community?: string };

/** The terminal's language: the typing person's community's, else the organization's. */
const languageOf = (services: Services, w: Who): Translator => speakerTranslator(services.config, shellSpeaker(w.name, w.community).speaker);

/** Who is typing, as the prompt says it. */
const youAre = (t: Translator, w: Who) => (w.community ? t.t("platforms.shell.youAreIn", { name: w.name, community: w.community }) : t.t("platforms.shell.youAre", { name: w.name }));
const nowYouAre = (t: Translator, w: Who) => (w.community ? t.t("platforms.shell.nowYouAreIn", { name: w.name, community: w.community }) : t.t("platforms.shell.nowYouAre", { name: w.name }));

/**
 * The interactive terminal bot (like Hubot's shell): each line is a slash command run as the
 * local user. `/as <name> [community]` switches who is typing, to try voting as others.
 * Whatever else prints meanwhile (notifications) goes through the screen, above the prompt.
 */
export function startRepl(
  services: Services,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; screen?: ShellScreen },
  who: Who,
): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, prompt: "flywheel> ", terminal: (io.input as { isTTY?: boolean }).isTTY === true });
  const screen = io.screen ?? new ShellScreen(io.output);
  screen.attach(rl);
  const slugs = services.config.communities.map((c) => c.slug);
  let current = { ...who };
  const say = (s: string) => screen.print(s);
  const t0 = languageOf(services, current);
  say(
    [
      t0.t("platforms.shell.title"),
      youAre(t0, current),
      ...(slugs.length ? [t0.t("platforms.shell.communities", { list: slugs.join(", ") })] : []),
      t0.t("platforms.shell.howTo", { help: "/help", as: "/as <name> [community]", quit: "/quit" }),
    ].join(" "),
  );
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
          const t = languageOf(services, current);
          const usage = { usage: "/as <name> [community]", example: "/as bob" };
          if (!name || extra) say(slugs.length ? t.t("platforms.shell.asUsageIn", { ...usage, exampleIn: `/as bob ${slugs[0]}`, list: slugs.join(", ") }) : t.t("platforms.shell.asUsage", usage));
          else if (community && !slugs.includes(community))
            say(t.t("platforms.shell.noSuchCommunity", { community, list: slugs.join(", ") || t.t("platforms.shell.noCommunitiesYet") }));
          else {
            current = { name, community: community ?? current.community };
            say(nowYouAre(languageOf(services, current), current));
          }
          return screen.prompt();
        }
        const { speaker, place } = shellSpeaker(current.name, current.community);
        const reply = await dispatchLine(services, expandAlias(text), speaker, place);
        say(renderText(reply, speakerTranslator(services.config, speaker)));
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
