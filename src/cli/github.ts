import type { Command } from "commander";
import type { Env } from "../config/env";
import { isRepoName, normalizeRepo } from "../core/github/refs";
import { repoFollowed } from "../core/github/sync";
import { isUserError } from "../core/errors";
import { parseSince } from "../core/credit/report";
import { statusLabel } from "../core/requests/requests";
import { translator } from "../i18n/translate";
import { plural } from "../core/text";
import type { CliIO } from "./io";

export function registerGithub(program: Command, io: CliIO, setCode: (n: number) => void, env: Env): void {
  const github = program.command("github").description("GitHub: import past pull requests and issues");
  github
    .command("backfill")
    .description("import merged pull requests and closed issues of a repository: credits and request links (resumable, safe to repeat)")
    .argument("<owner/repo>", "the repository, e.g. flywheel-org/flywheel")
    .option("--since <date>", "only work merged or closed from this day on (YYYY-MM-DD)")
    .option("--per-page <n>", "items per API page (1-100)", "100")
    .action(async (repoArg: string, o: { since?: string; perPage: string }) => {
      const fail = (msg: string, code = 2) => {
        io.err(`flywheel github backfill: ${msg}`);
        setCode(code);
      };
      if (!isRepoName(repoArg)) return fail(`"${repoArg}" is not a repository; use owner/repo.`);
      let since: Date | undefined;
      try {
        since = o.since ? parseSince(o.since) : undefined;
      } catch (e) {
        if (isUserError(e)) return fail(e.message);
        throw e;
      }
      const perPage = Number(o.perPage);
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return fail("--per-page takes a whole number from 1 to 100.");
      const services = await io.services();
      const repo = normalizeRepo(repoArg);
      if (!repoFollowed(services.config, repo)) return fail(`${repo} is not in github.repos of the config file; add it first so its events are followed.`);
      if (!env.GITHUB_TOKEN) io.err("flywheel github backfill: no GITHUB_TOKEN set; GitHub allows 60 unauthenticated requests an hour.");
      // Loaded here, so other CLI commands start without Octokit.
      const { backfill, BackfillError } = await import("../github/backfill");
      const { createOctokit } = await import("../github/client");
      const { utcTime } = await import("../github/errors");
      const octokit = createOctokit({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL, log: services.log });
      let result;
      try {
        result = await backfill(services, octokit, { repo, since, perPage, progress: io.progress });
      } catch (e) {
        if (e instanceof BackfillError) return fail(`${e.message} Progress is saved; run the same command again to go on.`, 1);
        throw e;
      }
      if (result.resumedAt) io.out(`Resumed ${repo} at ${result.resumedAt.phase} page ${result.resumedAt.page}.`);
      const summary = `${repo}: ${plural(result.pulls, "merged pull request")} and ${plural(result.issues, "closed issue")} read; ${plural(result.credits, "new credit")}, ${plural(result.links, "new link")}.`;
      if (result.pausedUntil) {
        io.out(summary);
        return fail(`GitHub's API rate limit is used up until ${utcTime(result.pausedUntil)}. Progress is saved: run the same command again after that to go on.`, 1);
      }
      io.out(summary);
      if (result.lagging.length) {
        io.out(`${plural(result.lagging.length, "linked request")} look${result.lagging.length === 1 ? "s" : ""} done on GitHub but ${result.lagging.length === 1 ? "is" : "are"} still open here (set the status, or let the next webhook do it):`);
        for (const l of result.lagging.slice(0, 20)) io.out(`  #${l.requestId} ${l.title} — ${statusLabel(translator(services.config.locale), l.status)}; ${l.item}`);
      }
    });
}
