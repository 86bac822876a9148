import type { App as BoltApp, SlashCommand, webApi } from "@slack/bolt";
import { usageOf } from "../../command-kit/define";
import { loadCommands } from "../../command-kit/registry";
import { unwrapUmbrella } from "../../command-kit/umbrella";
import { errorReply, type ModalSpec } from "../../core/reply";
import { answer, responseBody } from "./answer";
import { commandFromSlack, slackCommandName, withSlackNames } from "./command-names";
import { deadline, within } from "./budget";
import { renderModal, type ModalState } from "./render";
import type { Translator } from "../../i18n/translate";
import { dispatchOnceFor, isDeliveryId, knownLanguage, noteUnknownTeam, ownLocaleWithin, ownTranslator, type SlackRuntime, working } from "./runtime";
import { speakerTranslator } from "../language";
import { isSlackId, slackSpeaker, userTeamOf } from "./speaker";
import { fromSlackText } from "./text";

/** Opens a command's form; the trigger_id is only good for 3 seconds, so this comes first. */
export async function openModal(client: webApi.WebClient, triggerId: string, spec: ModalSpec, state: Omit<ModalState, "c" | "h">, t: Translator): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: renderModal(spec, state, t) });
}

/**
 * Every command in commands/ as a Slack slash command: acked at once, answered on the
 * response_url (with a "working on it" first when the work outlasts the budget). `/request` with
 * no text opens its form instead.
 */
export function registerSlashCommands(bolt: BoltApp, rt: SlackRuntime): void {
  bolt.command(/^\/[a-z0-9_-]+$/i, async ({ command, ack, client }) => {
    const left = deadline(rt.ackBudgetMs);
    const c: SlashCommand = command;
    const team = userTeamOf(c.user_team, c.team_id);
    if (!isSlackId(c.user_id) || !team || !isDeliveryId(c.trigger_id)) {
      // No user to ask users.info about: the workspace's community's language, else the organization's.
      const t = speakerTranslator(rt.app.services.config, { platform: "slack", externalId: "", displayName: "", workspace: isSlackId(c.team_id) ? c.team_id : undefined });
      await ack(responseBody(errorReply(t.t("platforms.slack.noUser"))));
      return;
    }
    const prefix = rt.app.env.SLACK_COMMAND_PREFIX;
    const channel = isSlackId(c.channel_id) ? c.channel_id : undefined;
    const { speaker, place } = slackSpeaker({ user: c.user_id, name: c.user_name, team, channel });
    noteUnknownTeam(rt, team, channel);
    // `/flywheel request` with no text opens /request's form, as `/request` does.
    const typed = unwrapUmbrella({ command: commandFromSlack(c.command, prefix), text: fromSlackText(c.text ?? ""), speaker, place });
    const name = typed.command;
    const text = typed.text ?? "";
    const modalState = { ws: team, ch: channel, r: c.response_url };
    const to = { client, user: c.user_id, responseUrl: c.response_url, channel };

    const def = loadCommands().get(name);
    /** Opens a form; if Slack refuses (an expired trigger), says how to type the command instead. */
    const form = (spec: ModalSpec, t: Translator) =>
      within(
        rt.background.run("open modal", () =>
          openModal(client, c.trigger_id, spec, modalState, t).catch(async (e: unknown) => {
            rt.log.warn({ err: e }, "slack views.open failed");
            const usage = def ? ` ${usageOf(def)}` : "";
            await answer(errorReply(t.t("platforms.form.cannotOpen", { line: `/${slackCommandName(name, prefix)}${usage}` })), to);
          }),
        ),
        left(),
      );

    if (def?.modal && !text.trim()) {
      await ack();
      await form(def.modal, knownLanguage(rt, speaker));
      return;
    }

    // Acked at once, like a bare Bolt app: Slack's 3-second clock stops here however busy the
    // database is, and the answer follows on the response_url as soon as the work is done.
    await ack();
    void rt.background.run("command answer", async () => {
      // The work starts once the ack is written (Bolt answers when this listener returns).
      await new Promise((resolve) => setImmediate(resolve));
      // The person's own language (users.info for someone not seen for hours) is asked alongside
      // the work, not before it: only the answer's wording waits for it.
      const ownLocale = ownLocaleWithin(rt, speaker, left());
      const work = dispatchOnceFor(rt, `command:${c.trigger_id}`, { command: name, text, speaker, place, ownLocale });
      const first = await within(work, left());
      if (!first.done) await answer(working(await ownTranslator(rt, speaker, ownLocale)), to);
      const reply = await work;
      if (!reply) return;
      if (reply.modal) return form(reply.modal, await ownTranslator(rt, speaker, ownLocale));
      await answer(withSlackNames(reply, prefix), to);
    });
  });
}
