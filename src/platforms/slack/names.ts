import { webApi } from "@slack/bolt";
import type { Logger } from "pino";

/** What users.info tells of a person that Flywheel uses: the name people see, and their Slack language ("es-LA"). */
export interface SlackProfile {
  name?: string;
  locale?: string;
}

interface Known {
  profile: Promise<SlackProfile>;
  /** Set once the answer is in, so a 3-second path (opening a form) can use it without waiting. */
  settled?: SlackProfile;
  until: number;
}

const HOUR = 60 * 60 * 1000;

/**
 * A person's name and language as Slack shows them, for events that carry only a user id (thread replies, DMs):
 * without it, a staff member who answers in a support thread before ever typing a command would
 * reach the member as "U0… (staff)". One users.info call per person, remembered for hours; a
 * failure (an install without users:read, Slack down) is remembered briefly, so a busy thread
 * does not ask again for every message, and the person is shown by what was known of them.
 * The locale comes in the same call (include_locale), so answers speak the person's language.
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
    return this.profileOf(user).then((p) => p.name);
  }

  localeOf(user: string): Promise<string | undefined> {
    return this.profileOf(user).then((p) => p.locale);
  }

  /** The language already known for a person, without asking Slack (and starts asking when unknown). */
  knownLocaleOf(user: string): string | undefined {
    void this.profileOf(user);
    return this.known.get(user)?.settled?.locale;
  }

  profileOf(user: string): Promise<SlackProfile> {
    const now = (this.opts.now ?? Date.now)();
    const hit = this.known.get(user);
    if (hit && hit.until > now) return hit.profile;
    if (this.withoutScope) return Promise.resolve({});
    const entry: Known = { profile: Promise.resolve({}), until: now + (this.opts.ttlMs ?? 6 * HOUR) };
    // https://api.slack.com/methods/users.info: include_locale adds the user's locale ("en-US", "es-LA").
    entry.profile = this.client.users.info({ user, include_locale: true }).then(
      (r) => {
        const u = r.user;
        const name = [u?.profile?.display_name, u?.profile?.real_name, u?.real_name, u?.name].map((n) => n?.trim()).find((n) => n) || undefined;
        return (entry.settled = { name, locale: u?.locale || undefined });
      },
      (e: unknown): SlackProfile => {
        entry.until = now + (this.opts.failureTtlMs ?? 10 * 60 * 1000);
        if (e instanceof webApi.WebAPIPlatformError && e.data.error === "missing_scope") {
          this.withoutScope = true;
          this.log.warn("the Slack app lacks the users:read scope, so people who only reply in threads are shown by their id: reinstall it from `npm run slack:manifest`");
        } else {
          this.log.warn({ err: e, user }, "slack users.info failed; the person is shown by the name already known");
        }
        return (entry.settled = {});
      },
    );
    this.known.delete(user);
    // Oldest first out: a Map iterates in insertion order.
    if (this.known.size >= (this.opts.max ?? 10_000)) this.known.delete(this.known.keys().next().value!);
    this.known.set(user, entry);
    return entry.profile;
  }
}
