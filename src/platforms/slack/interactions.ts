import { withSlackNames } from "./command-names";
import type { App as BoltApp, BlockAction, ButtonAction, MessageShortcut, ViewSubmitAction } from "@slack/bolt";
import { dispatch, dispatchLine } from "../../command-kit/dispatch";
import { loadCommands } from "../../command-kit/registry";
import type { ModalSpec, Reply } from "../../core/reply";
import { answer } from "./answer";
import { deadline, within } from "./budget";
import { openModal } from "./commands";
import { BUTTON_ACTION, MODAL_CALLBACK, REQUEST_SHORTCUT } from "./ids";
import { noticeModal, parseModalState } from "./render";
import { withoutUsageLine } from "../../command-kit/explain";
import type { Translator } from "../../i18n/translate";
import { speakerTranslator } from "../language";
import { isDeliveryId, knownLanguage, noteUnknownTeam, once, type SlackRuntime, withKnownLocale, withOwnLocale } from "./runtime";
import { isSlackId, slackSpeaker, userTeamOf } from "./speaker";
import { clip, fromSlackText } from "./text";

/**
 * Buttons: every Flywheel button carries a command line, run through the same dispatcher as a
 * typed command, answered to the clicker on the response_url.
 */
function registerButtons(bolt: BoltApp, rt: SlackRuntime): void {
  bolt.action<BlockAction<ButtonAction>>({ type: "block_actions", action_id: BUTTON_ACTION }, async ({ ack, body, action, client }) => {
    const left = deadline(rt.ackBudgetMs);
    await ack();
    const team = userTeamOf(body.user?.team_id, body.team?.id);
    if (action.type !== "button" || !action.value || !isSlackId(body.user?.id) || !isSlackId(team) || !isDeliveryId(body.trigger_id)) {
      rt.log.warn({ action: action.action_id }, "slack button payload without a command or a user; ignored");
      return;
    }
    const channel = isSlackId(body.channel?.id) ? body.channel.id : undefined;
    const thread = typeof body.message?.thread_ts === "string" ? body.message.thread_ts : undefined;
    const { speaker, place } = slackSpeaker({ user: body.user.id, name: body.user.username ?? body.user.name, team, channel, thread });
    noteUnknownTeam(rt, team, channel);
    const line = action.value;
    // A button naming only a command that has a form (the Home tab's New request, Open a ticket)
    // opens that form, as typing the bare command does; the trigger is good for 3 seconds only.
    const form = loadCommands().get(line.trim())?.modal;
    if (form) {
      const opened = rt.background.run("open form", () =>
        openModal(client, body.trigger_id, form, { ws: team, ch: channel, th: thread, r: body.response_url }, knownLanguage(rt, speaker)),
      );
      await within(opened, left());
      return;
    }
    const done = rt.background.run("button", async () => {
      const asker = await withOwnLocale(rt, speaker, left());
      const reply = await once(rt, `action:${body.trigger_id}`, () => dispatchLine(rt.app.services, line, asker.speaker, place), asker.t);
      if (!reply) return;
      if (reply.modal) {
        await openModal(client, body.trigger_id, reply.modal, { ws: team, ch: channel, th: thread, r: body.response_url }, asker.t);
        return;
      }
      await answer(withSlackNames(reply, rt.app.env.SLACK_COMMAND_PREFIX), { client, user: body.user.id, responseUrl: body.response_url, channel, thread });
    });
    await within(done, left());
  });
}

/** The first line of a message, cut at a word, as a starting title. */
function suggestTitle(text: string, max: number): string {
  const line = text.split("\n").find((l) => l.trim())?.trim().replace(/\s+/g, " ") ?? "";
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(" ") > max / 2 ? cut.lastIndexOf(" ") : cut.length)}…`;
}

/** Slack's permalink shape: https://<team>.slack.com/archives/<channel>/p<ts without the dot>. */
function permalink(domain: string | undefined, channel: string, ts: string, thread?: string): string | undefined {
  if (!domain || !/^[a-z0-9-]+$/i.test(domain) || !/^\d+\.\d+$/.test(ts)) return undefined;
  const base = `https://${domain}.slack.com/archives/${channel}/p${ts.replace(".", "")}`;
  return thread && thread !== ts ? `${base}?thread_ts=${thread}&cid=${channel}` : base;
}

/** "Make a feature request" on any message: the request form, filled from the message, linking back to it. */
function registerShortcut(bolt: BoltApp, rt: SlackRuntime): void {
  bolt.shortcut<MessageShortcut>({ type: "message_action", callback_id: REQUEST_SHORTCUT.callbackId }, async ({ ack, shortcut, client }) => {
    const left = deadline(rt.ackBudgetMs);
    await ack();
    const base = loadCommands().get(REQUEST_SHORTCUT.command)?.modal;
    const team = userTeamOf(shortcut.user?.team_id, shortcut.team?.id);
    if (!base || !isSlackId(shortcut.user?.id) || !isSlackId(team) || !isSlackId(shortcut.channel?.id) || !isDeliveryId(shortcut.trigger_id)) {
      rt.log.warn("slack message shortcut payload without a user, channel or trigger; ignored");
      return;
    }
    const text = fromSlackText(shortcut.message?.text ?? "");
    const ts = shortcut.message?.ts ?? shortcut.message_ts;
    const thread = typeof shortcut.message?.thread_ts === "string" ? shortcut.message.thread_ts : undefined;
    const link = permalink(shortcut.team?.domain, shortcut.channel.id, ts, thread);
    const spec: ModalSpec = {
      ...base,
      fields: base.fields.map((f) =>
        f.name === "title" ? { ...f, initial: suggestTitle(text, f.maxLength ?? 120) } : f.name === "details" ? { ...f, initial: clip(text, f.maxLength ?? 3000) } : f,
      ),
      hidden: { ...base.hidden, ...(link ? { sourceUrl: link } : {}) },
    };
    await within(
      rt.background.run("open shortcut modal", () =>
        openModal(client, shortcut.trigger_id, spec, { ws: team, ch: shortcut.channel.id, r: shortcut.response_url }, knownLanguage(rt, slackSpeaker({ user: shortcut.user.id, team, channel: shortcut.channel.id }).speaker)),
      ),
      left(),
    );
  });
}

/** A dispatch error about one option, shown under that field of the form. */
const fieldError = (reply: Reply, fields: string[], t: Translator): Record<string, string> | undefined =>
  reply.field && fields.includes(reply.field) ? { [reply.field]: withoutUsageLine(reply.text, t) } : undefined;

/**
 * Modal submissions run the modal's command with the fields as options. Errors on a field stay
 * in the form; others replace it with a notice; success closes it and answers like the command.
 */
function registerModals(bolt: BoltApp, rt: SlackRuntime): void {
  bolt.view<ViewSubmitAction>({ type: "view_submission", callback_id: MODAL_CALLBACK }, async ({ ack, body, view, client }) => {
    const left = deadline(rt.ackBudgetMs);
    const state = parseModalState(view.private_metadata ?? "");
    const team = userTeamOf(body.user?.team_id, body.team?.id, state?.ws);
    if (!state || !isSlackId(body.user?.id) || !isSlackId(team)) {
      rt.log.warn("slack modal submission without its command or user; ignored");
      await ack();
      return;
    }
    const channel = isSlackId(state.ch) ? state.ch : undefined;
    const fields = view.blocks.flatMap((b) => (b.type === "input" && b.block_id ? [b.block_id] : []));
    const options: Record<string, unknown> = {};
    for (const name of fields) {
      const v = view.state.values[name]?.value?.value;
      if (typeof v === "string" && v.trim()) options[name] = v;
    }
    Object.assign(options, state.h);
    const { speaker, place } = slackSpeaker({ user: body.user.id, name: body.user.name, team, channel, thread: state.th });
    const id = isDeliveryId(body.trigger_id) ? body.trigger_id : `${view.id}:${view.hash}`;
    // The form opened in the person's language, so it was looked up then: known now, no waiting.
    const asker = withKnownLocale(rt, speaker);
    const t = speakerTranslator(rt.app.services.config, asker);
    const work = once(rt, `view:${id}`, () => dispatch(rt.app.services, { command: state.c, options, speaker: asker, place }), t);
    const send = (reply: Reply) =>
      rt.background.run("modal answer", () => answer(withSlackNames(reply, rt.app.env.SLACK_COMMAND_PREFIX), { client, user: body.user.id, responseUrl: state.r, channel, thread: state.th }));

    const first = await within(work, left());
    if (!first.done) {
      // Too slow to keep the form open: close it, the answer follows in the conversation.
      await ack();
      void work.then((reply) => reply && send(reply));
      return;
    }
    const reply = first.value;
    if (!reply) return ack();
    if (reply.error) {
      const errors = fieldError(reply, fields, t);
      if (errors) return ack({ response_action: "errors", errors });
      return ack({ response_action: "update", view: noticeModal(view.title?.text ?? "Flywheel", withoutUsageLine(reply.text, t), t) });
    }
    await ack();
    await within(send(reply), left());
  });
}

export function registerInteractions(bolt: BoltApp, rt: SlackRuntime): void {
  registerButtons(bolt, rt);
  registerShortcut(bolt, rt);
  registerModals(bolt, rt);
}
