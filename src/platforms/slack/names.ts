import { webApi } from "@slack/bolt";
import type { Logger } from "pino";

interface Known {
  name: Promise<string | undefined>;
  until: number;
}

const HOUR = 60 * 60 * 1000;

/**
 * A person's name as Slack shows it, for events that carry only a user id (thread replies, DMs):
 * without it, a staff member who answers in a support thread before ever typing a command would
 * reach the member as "U0… (staff)". One users.info call per person, remembered for hours; a
 * failure (an install without users:read, Slack down) is remembered briefly, so a busy thread
 * does not ask again for every message, and the person is shown by what was known of them.
 */
export class SlackNames {
  private known = new Map<string, Known>();
  /** Set when the app lacks users:read: asking again cannot work until it is reinstalled. */
  private withoutScope = false;

  constructor(
    private client: webApi.WebClient,
    private log: Logger,
    private opts: { ttlMs?: number; failureTtlMs?: number; max?: number; now?: () => number } = {},
  ) {}

  nameOf(user: string): Promise<string | undefined> {
    const now = (this.opts.now ?? Date.now)();
    const hit = this.known.get(user);
    if (hit && hit.until > now) return hit.name;
    if (this.withoutScope) return Promise.resolve(undefined);
    const entry: Known = { name: Promise.resolve(undefined), until: now + (this.opts.ttlMs ?? 6 * HOUR) };
    entry.name = this.client.users.info({ user }).then(
      (r) => {
        const u = r.user;
        return [u?.profile?.display_name, u?.profile?.real_name, u?.real_name, u?.name].map((n) => n?.trim()).find((n) => n) || undefined;
      },
      (e: unknown) => {
        entry.until = now + (this.opts.failureTtlMs ?? 10 * 60 * 1000);
        if (e instanceof webApi.WebAPIPlatformError && e.data.error === "missing_scope") {
          this.withoutScope = true;
          this.log.warn("the Slack app lacks the users:read scope, so people who only reply in threads are shown by their id: reinstall it from `npm run slack:manifest`");
        } else {
          this.log.warn({ err: e, user }, "slack users.info failed; the person is shown by the name already known");
        }
        return undefined;
      },
    );
    this.known.delete(user);
    // Oldest first out: a Map iterates in insertion order.
    if (this.known.size >= (this.opts.max ?? 10_000)) this.known.delete(this.known.keys().next().value!);
    this.known.set(user, entry);
    return entry.name;
  }
}
