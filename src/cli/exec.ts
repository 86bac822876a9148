import type { Command } from "commander";
import { dispatchLine } from "../command-kit/dispatch";
import { OutboxWorker } from "../delivery/worker";
import { expandAlias } from "../platforms/shell/aliases";
import { renderText } from "../platforms/shell/render";
import { shellDeliverer } from "../platforms/shell/deliverer";
import { translatorForPlace } from "../core/people/locale";
import { shellSpeaker } from "../platforms/shell/speaker";
import type { CliIO } from "./io";

export function registerExec(program: Command, io: CliIO, setCode: (n: number) => void): void {
  program
    .command("exec")
    .description('run one slash command and print the reply, e.g. flywheel exec --as ana --community local "/upvote 12"')
    .requiredOption("--as <name>", "who types it (a terminal user name)")
    .option("--community <slug>", "the community they speak for")
    .option("--verbose", "also name the database the command used (on stderr)")
    .argument("<line...>", "the command line, e.g. /request Faster image builds")
    .action(async (line: string[], o: { as: string; community?: string; verbose?: boolean }) => {
      const services = await io.services();
      if (o.verbose) io.err(`flywheel: database: ${io.database}`);
      const { speaker, place } = shellSpeaker(o.as, o.community);
      const reply = await dispatchLine(services, expandAlias(line.join(" ")), speaker, place);
      if (reply.error) {
        io.err(renderText(reply));
        setCode(1);
      } else io.out(renderText(reply));
      // Notifications for the terminal are printed right away when no bot is running to print them.
      const worker = new OutboxWorker(services, [shellDeliverer((t) => io.out(t.trim()), (place) => translatorForPlace(services.config, place))]);
      await worker.drain();
    });
}
