import type { Command } from "commander";
import { isUserError } from "../core/errors";
import { buildDigest, communityBySlug, describeOutcome, postDigest } from "../core/digest/digest";
import { parseWeek } from "../core/weeks";
import { translator } from "../i18n/translate";
import { OutboxWorker } from "../delivery/worker";
import { renderText } from "../platforms/shell/render";
import { shellDeliverer } from "../platforms/shell/deliverer";
import { translatorForPlace } from "../core/people/locale";
import type { CliIO } from "./io";

export function registerDigest(program: Command, io: CliIO, setCode: (n: number) => void): void {
  program
    .command("digest")
    .description("print (--dry-run) or post a community's weekly digest, e.g. flywheel digest --community alpha --week 2026-11-25")
    .requiredOption("--community <slug>", "the community")
    .requiredOption("--week <date>", "a date inside the week (2026-11-25) or an ISO week (2026-W48), in the community's time zone")
    .option("--dry-run", "print the digest; post and record nothing")
    .action(async (o: { community: string; week: string; dryRun?: boolean }) => {
      const services = await io.services();
      try {
        const community = await communityBySlug(services, o.community);
        const week = parseWeek(o.week, community.timezone);
        if (o.dryRun) {
          const digest = await buildDigest(services, community, week);
          io.out(digest.empty ? `Nothing happened for ${community.name} in ${week.label}: no digest would be posted.` : renderText(digest.reply));
          return;
        }
        const outcome = await postDigest(services, community, week, "cli", { recordEmpty: false });
        io.out(describeOutcome(translator(services.config.locale), community, outcome));
        // A community with no chat channel gets its digest in the terminal: print it now, as exec does.
        await new OutboxWorker(services, [shellDeliverer((t) => io.out(t.trim()), (place) => translatorForPlace(services.config, place))]).drain();
      } catch (e) {
        if (!isUserError(e)) throw e;
        io.err(`flywheel digest: ${e.message}`);
        setCode(1);
      }
    });
}
