import { Octokit } from "@octokit/rest";
import type { Logger } from "pino";

export interface GithubClientOptions {
  token?: string;
  /** GITHUB_API_URL: GitHub Enterprise (https://HOST/api/v3) or a local stand-in. */
  baseUrl?: string;
  log: Logger;
}

/** The one way Flywheel builds an Octokit: token, Enterprise base URL, our logger. */
export function createOctokit(o: GithubClientOptions): Octokit {
  const log = o.log.child({ component: "octokit" });
  return new Octokit({
    auth: o.token,
    baseUrl: o.baseUrl?.replace(/\/+$/, ""),
    userAgent: "flywheel-bot",
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
}

export type { Octokit };
