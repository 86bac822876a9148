import type { App as BoltApp, types } from "@slack/bolt";
import { homeFor, homeOpened } from "../../core/home/home";
import { resolveActor } from "../../core/people/identity";
import { personLocale } from "../../core/people/locale";
import { translator } from "../../i18n/translate";
import { deadline, within } from "./budget";
import { withSlackNames } from "./command-names";
import { renderMessage } from "./render";
import type { SlackRuntime } from "./runtime";
import { isSlackId, slackSpeaker } from "./speaker";

/** A Home tab holds up to 100 blocks (https://docs.slack.dev/surfaces/app-home); Flywheel's uses at most 50. */
const HOME_BLOCKS = 100;

/**
 * The person's Home tab as it is now: who they are (users.info for their name and language,
 * remembered), resolved like any command, their home from core, rendered like any message (every
 * text escaped, buttons carrying command lines for the ordinary button handler).
 */
export function homeView(rt: SlackRuntime): (user: string, team: string | undefined) => Promise<types.HomeView> {
  return async (user, team) => {
    const profile = await rt.names.profileOf(user);
    const { speaker } = slackSpeaker({ user, name: profile.name, team: team ?? "" });
    const { services } = rt.app;
    const actor = await resolveActor(services, { ...speaker, locale: profile.locale });
    const t = translator(personLocale(services.config, { own: [profile.locale], communitySlug: actor.communitySlug }));
    const reply = withSlackNames(await homeFor(services, actor, t), rt.app.env.SLACK_COMMAND_PREFIX);
    return { type: "home", blocks: renderMessage(reply).blocks.slice(0, HOME_BLOCKS) };
  };
}

/**
 * app_home_opened on the Home tab: the person's home is published at once (views.publish, as an
 * answer to opening it) and remembered, so later changes to it are republished through the outbox.
 * The Messages tab fires the same event with tab "messages": nothing to do there.
 * https://docs.slack.dev/reference/events/app_home_opened
 */
export function registerHome(bolt: BoltApp, rt: SlackRuntime, build: ReturnType<typeof homeView>): void {
  bolt.event("app_home_opened", async ({ event, body, client }) => {
    const left = deadline(rt.ackBudgetMs);
    const team = isSlackId(body.team_id) ? body.team_id : undefined;
    if (event.tab !== "home" || !isSlackId(event.user)) return;
    const user = event.user;
    const done = rt.background.run("home", async () => {
      const { services } = rt.app;
      await homeOpened(services.db, { platform: "slack", externalId: user, workspace: team ?? "" }, services.clock.now());
      await client.views.publish({ user_id: user, view: await build(user, team) });
    });
    await within(done, left());
  });
}
