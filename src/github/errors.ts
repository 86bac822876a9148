import { UserError } from "../core/errors";
import { scrubSecrets } from "../log";

/** The parts of an Octokit RequestError we read, without depending on its class. */
interface HttpError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

const asHttpError = (e: unknown): HttpError | undefined => (e && typeof e === "object" && typeof (e as HttpError).status === "number" ? (e as HttpError) : undefined);

/** When GitHub said its rate limit is used up (403/429 with x-ratelimit-remaining: 0, or retry-after). */
export function rateLimitReset(e: unknown, now = new Date()): Date | undefined {
  const h = asHttpError(e);
  if (!h || (h.status !== 403 && h.status !== 429)) return undefined;
  const headers = h.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return new Date(now.getTime() + retryAfter * 1000);
  if (String(headers["x-ratelimit-remaining"]) !== "0") return undefined;
  const reset = Number(headers["x-ratelimit-reset"]);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now.getTime() + 60 * 60 * 1000);
}

export const utcTime = (d: Date): string => `${d.toISOString().slice(11, 16)} UTC`;

/**
 * A GitHub API failure in words a person can act on. what names the thing asked for
 * ("octo/repo#12"). Never quotes headers, so the token cannot leak.
 */
export function githubErrorMessage(e: unknown, what: string): string {
  const reset = rateLimitReset(e);
  if (reset) return `GitHub's API rate limit is used up until ${utcTime(reset)}; try again after that.`;
  const h = asHttpError(e);
  // Octokit reports a failed connection as status 500 without a response.
  if (!h || (h.status === 500 && !h.response)) return `GitHub could not be reached (${scrubSecrets(e instanceof Error ? e.message : String(e)).slice(0, 200)}).`;
  if (h.status === 401) return "GitHub refused the token (GITHUB_TOKEN): it is wrong or expired.";
  if (h.status === 403) return `GitHub did not allow that on ${what}: the token lacks the permission.`;
  if (h.status === 404) return `GitHub says ${what} does not exist, or the token cannot see it.`;
  if (h.status === 410) return `GitHub says ${what} is gone (issues may be disabled on that repository).`;
  if (h.status === 422) return `GitHub rejected the request for ${what}: ${scrubSecrets(h.message ?? "").slice(0, 200)}`;
  return `GitHub answered ${h.status} for ${what}; try again in a moment.`;
}

/** Wraps a GitHub call so a failure becomes a friendly UserError. */
export async function explained<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new UserError(githubErrorMessage(e, what));
  }
}
