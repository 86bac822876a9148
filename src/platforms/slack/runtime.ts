import type { Logger } from "pino";
import { dispatchOnce, type Invocation } from "../../command-kit/dispatch";
import { firstTimeSeen } from "../../core/dedupe";
import { errorReply, type Reply } from "../../core/reply";
import { organizationSlackTeams, type Speaker } from "../../core/people/identity";
import type { Translator } from "../../i18n/translate";
import { speakerTranslator } from "../language";
import { type Background, within } from "./budget";
import type { SlackNames } from "./names";
import type { PlatformContext } from "../platform";

/** What every Slack listener needs. */
export interface SlackRuntime {
  /** What Slack was started with: settings, core services, the thread-message port. */
  app: PlatformContext;
  log: Logger;
  background: Background;
  /** How long a listener may work before it must answer Slack (which gives up after 3 s). */
  ackBudgetMs: number;
  /** Names for events that carry only a user id, and every person's own Slack language. */
  names: SlackNames;
}

/**
 * Runs a command-like piece of work once per Slack delivery id (trigger_id, event_id): a retried
 * or redelivered payload finds the id recorded and does nothing (null). Failures become a
 * friendly reply so the person is never left without an answer.
 */
export function once(rt: SlackRuntime, id: string, work: () => Promise<Reply>, t: Translator): Promise<Reply | null> {
  const run = rt.background.run("slack command", async (): Promise<Reply | null> => {
    try {
      if (!(await firstTimeSeen(rt.app.services.db, id, "slack"))) {
        rt.log.info({ id }, "slack delivery seen before; not applied again");
        return null;
      }
      return await work();
    } catch (e) {
      rt.log.error({ err: e, id }, "slack command failed");
      return errorReply(t.t("platforms.failedTryLater"));
    }
  });
  return run.then((r) => r ?? null);
}

/**
 * A command run once per Slack delivery id, like once(), but the id is recorded by the command's
 * own first statement (dispatchOnce): one round trip less before the answer.
 */
export function dispatchOnceFor(rt: SlackRuntime, id: string, inv: Invocation): Promise<Reply | null> {
  const run = rt.background.run("slack command", async (): Promise<Reply | null> => {
    try {
      const reply = await dispatchOnce(rt.app.services, inv, { id, source: "slack" });
      if (!reply) rt.log.info({ id }, "slack delivery seen before; not applied again");
      return reply;
    } catch (e) {
      rt.log.error({ err: e, id }, "slack command failed");
      return errorReply((await ownTranslator(rt, inv.speaker, inv.ownLocale)).t("platforms.failedTryLater"));
    }
  });
  return run.then((r) => r ?? null);
}

/**
 * The speaker's own Slack language (users.info, remembered for hours, so usually at once) if it
 * is known within ms, else undefined. Started before the work, so the work does not wait for it.
 */
export function ownLocaleWithin(rt: SlackRuntime, speaker: Speaker, ms: number): Promise<string | undefined> {
  return within(rt.names.localeOf(speaker.externalId), ms).then((own) => (own.done ? own.value : undefined));
}

/** The speaker's language once their own (ownLocaleWithin) has settled. */
export async function ownTranslator(rt: SlackRuntime, speaker: Speaker, ownLocale: Promise<string | undefined> | undefined): Promise<Translator> {
  const own = ownLocale ? await ownLocale : undefined;
  return speakerTranslator(rt.app.services.config, own ? { ...speaker, locale: own } : speaker);
}

/** "Working on it" ack for work that outlives Slack's 3 seconds; the answer follows on its own. */
export const working = (t: Translator): Reply => ({ text: t.t("platforms.working"), ephemeral: true });

/**
 * The speaker with their own Slack language (users.info, remembered for hours, so usually at
 * once) when it is known within ms; else as they were, and their community's language is used.
 * Called after the ack: Slack's 3 seconds never wait for it.
 */
export async function withOwnLocale(rt: SlackRuntime, speaker: Speaker, ms: number): Promise<{ speaker: Speaker; t: Translator }> {
  const own = await within(rt.names.localeOf(speaker.externalId), ms);
  const asker = own.done && own.value ? { ...speaker, locale: own.value } : speaker;
  return { speaker: asker, t: speakerTranslator(rt.app.services.config, asker) };
}

/** The speaker with the language already known of them, without waiting (a form must open within 3 s). */
export function withKnownLocale(rt: SlackRuntime, speaker: Speaker): Speaker {
  const own = rt.names.knownLocaleOf(speaker.externalId);
  return own ? { ...speaker, locale: own } : speaker;
}

export const knownLanguage = (rt: SlackRuntime, speaker: Speaker): Translator => speakerTranslator(rt.app.services.config, withKnownLocale(rt, speaker));

/** A delivery id Slack gives us (trigger ids look like 123.456.abc). */
export const isDeliveryId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200;

/**
 * A person whose workspace no community is configured for (someone a Slack Connect channel let in)
 * speaks for no community: core answers what that means for each command; the log says why.
 */
export function noteUnknownTeam(rt: SlackRuntime, team: string, channel: string | undefined): void {
  const config = rt.app.services.config;
  if (config.communities.some((c) => c.slack?.team === team) || organizationSlackTeams(config).includes(team)) return;
  rt.log.info({ team, channel }, "slack: a person from a workspace no community is configured for; they speak for none");
}
