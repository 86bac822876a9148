import {
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  ComponentType,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { Logger } from "pino";
import type { CommandDef, OptionSpec } from "../../command-kit/define";
import { dispatch, dispatchLine, splitCommandLine } from "../../command-kit/dispatch";
import { loadCommands } from "../../command-kit/registry";
import type { Services } from "../../core/context";
import { firstTimeSeen } from "../../core/dedupe";
import { resolveActor, type Speaker } from "../../core/people/identity";
import { hasRole, refusal } from "../../core/people/permissions";
import { personLocale } from "../../core/people/locale";
import { translator } from "../../i18n/translate";
import { errorReply, type Reply } from "../../core/reply";
import { type Suggestion, suggestCommunities, suggestRequests, suggestTickets } from "../../core/search";
import type { Translator } from "../../i18n/translate";
import { speakerTranslator } from "../language";
import { commandLineOf, type DiscordMessage, NO_MENTIONS, parseModalId, renderMessage, renderModal } from "./render";
import { interactionSpeaker } from "./speaker";

export interface InteractionContext {
  services: Services;
  log: Logger;
  /**
   * Discord wants a first answer within 3 seconds. Work still running after this long is
   * deferred ("thinking…") and the answer edited in when it is ready.
   */
  deferAfterMs: number;
}

type CommandInteraction = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

/** discord.js options for a rendered message (it converts allowedMentions to allowed_mentions). */
const asOptions = (m: DiscordMessage) => ({ content: m.content, embeds: m.embeds, components: m.components, flags: m.flags, allowedMentions: m.allowed_mentions });

/**
 * Every interaction the gateway delivers: slash commands, buttons, select menus, modal submits,
 * autocomplete. Never throws: whatever happens, the person gets an answer or an error.
 */
export async function handleInteraction(ctx: InteractionContext, i: Interaction): Promise<void> {
  const deadline = Date.now() + ctx.deferAfterMs;
  if (i.isAutocomplete()) return answerAutocomplete(ctx, i);
  if (!i.isRepliable()) return;
  try {
    // A replayed interaction (gateway resume, a second replica) must never apply twice.
    if (!(await firstTimeSeen(ctx.services.db, i.id, "discord", "interaction"))) {
      ctx.log.info({ interaction: i.id }, "discord interaction seen before; ignored");
      return;
    }
    if (i.isChatInputCommand()) await onSlashCommand(ctx, i, deadline);
    else if (i.isButton() || i.isStringSelectMenu()) await onComponent(ctx, i, deadline);
    else if (i.isModalSubmit()) await onModalSubmit(ctx, i, deadline);
    else await answer(ctx, i, errorReply(askerT(ctx, i).t("platforms.discord.unknownInteraction", { help: "/help" })));
  } catch (e) {
    ctx.log.error({ err: e, interaction: i.id }, "discord interaction failed");
    await answerFailure(ctx, i);
  }
}

/** The asker's language, from their Discord client's locale (else their server's community's). */
const askerT = (ctx: InteractionContext, i: Interaction): Translator => speakerTranslator(ctx.services.config, interactionSpeaker(i).speaker);

/** Structured options as the command's schema expects them: a plain object keyed by option name. */
function optionsOf(i: ChatInputCommandInteraction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of i.options.data) if (o.value !== undefined && o.value !== null && o.value !== "") out[o.name] = o.value;
  return out;
}

async function onSlashCommand(ctx: InteractionContext, i: ChatInputCommandInteraction, deadline: number): Promise<void> {
  const { speaker, place } = interactionSpeaker(i);
  const cmd = loadCommands().get(i.commandName) as CommandDef<unknown> | undefined;
  const options = optionsOf(i);
  if (cmd?.modal && !Object.keys(options).length) return openModal(ctx, i, cmd, speaker);
  // Most answers are private (lists, votes, errors): "thinking…" starts private too.
  await respond(ctx, i, deadline, dispatch(ctx.services, { command: i.commandName, options, speaker, place }), true);
}

async function onComponent(ctx: InteractionContext, i: ButtonInteraction | StringSelectMenuInteraction, deadline: number): Promise<void> {
  const line = commandLineOf(i.customId, i.isStringSelectMenu() ? i.values : undefined);
  if (!line) return answer(ctx, i, errorReply(askerT(ctx, i).t("platforms.discord.unknownButton")));
  const { speaker, place } = interactionSpeaker(i);
  const { command, text } = splitCommandLine(line);
  const cmd = loadCommands().get(command) as CommandDef<unknown> | undefined;
  if (cmd?.modal && !text.trim()) return openModal(ctx, i, cmd, speaker);
  // A click in a private message answers privately while it thinks; one in a public card, publicly.
  const fromPrivate = i.message.flags.has(MessageFlags.Ephemeral);
  await respond(ctx, i, deadline, dispatchLine(ctx.services, line, speaker, place), fromPrivate);
}

async function onModalSubmit(ctx: InteractionContext, i: ModalSubmitInteraction, deadline: number): Promise<void> {
  const target = parseModalId(i.customId);
  if (!target) return answer(ctx, i, errorReply(askerT(ctx, i).t("platforms.discord.unknownForm")));
  const { speaker, place } = interactionSpeaker(i);
  const options: Record<string, unknown> = { ...target.hidden };
  for (const [id, field] of i.fields.fields) {
    if (field.type === ComponentType.TextInput && field.value.trim()) options[id] = field.value;
  }
  await respond(ctx, i, deadline, dispatch(ctx.services, { command: target.command, options, speaker, place }), false);
}

/**
 * A modal must be the first answer, so it opens at once. Commands above member level check
 * the role first: a member is refused before typing anything, not after.
 */
async function openModal(ctx: InteractionContext, i: ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction, cmd: CommandDef<unknown>, speaker: Speaker): Promise<void> {
  if (cmd.role !== "member") {
    const actor = await resolveActor(ctx.services, speaker);
    if (!hasRole(actor.role, cmd.role)) return answer(ctx, i, errorReply(refusal(translator(personLocale(ctx.services.config, { own: [speaker.locale], communitySlug: actor.communitySlug })), cmd.role)));
  }
  const modal = renderModal(cmd.modal!, askerT(ctx, i));
  if (!modal) return answer(ctx, i, errorReply(askerT(ctx, i).t("platforms.discord.formTooBig", { command: `/${cmd.name}` })));
  await i.showModal(modal);
}

/** Resolves with the value if it settles before the deadline, else with undefined (at once when already past). */
async function settleBy<T>(work: Promise<T>, deadline: number): Promise<T | undefined> {
  if (deadline <= Date.now()) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers at once when the work is quick; otherwise defers before Discord's 3 seconds run out
 * and edits the answer in. When the deferred guess about privacy was wrong, the placeholder is
 * removed and the answer sent as a follow-up with the right visibility.
 */
async function respond(ctx: InteractionContext, i: CommandInteraction, deadline: number, pending: Promise<Reply>, deferPrivately: boolean): Promise<void> {
  const work = pending.catch((e: unknown): Reply => {
    ctx.log.error({ err: e, interaction: i.id }, "discord command failed");
    return errorReply(askerT(ctx, i).t("platforms.failed"));
  });
  const quick = await settleBy(work, deadline);
  if (quick) return answer(ctx, i, quick);
  await i.deferReply(deferPrivately ? { flags: MessageFlags.Ephemeral } : {});
  const reply = await work;
  const msg = renderMessage(reply);
  const privately = Boolean(msg.flags);
  if (privately === deferPrivately) {
    await i.editReply({ content: msg.content, embeds: msg.embeds, components: msg.components, allowedMentions: msg.allowed_mentions });
    return;
  }
  await i.deleteReply();
  await i.followUp(asOptions(msg));
}

async function answer(ctx: InteractionContext, i: RepliableInteraction, reply: Reply): Promise<void> {
  if (reply.modal && !i.isModalSubmit()) {
    const modal = renderModal(reply.modal, askerT(ctx, i));
    if (modal) return void (await i.showModal(modal));
  }
  await i.reply(asOptions(renderMessage(reply)));
}

/** Best effort: tell the person it failed, whichever stage the answer had reached. */
async function answerFailure(ctx: InteractionContext, i: RepliableInteraction): Promise<void> {
  const msg = renderMessage(errorReply(askerT(ctx, i).t("platforms.failed")));
  try {
    if (!i.replied && !i.deferred) await i.reply(asOptions(msg));
    else if (i.deferred && !i.replied) await i.editReply({ embeds: msg.embeds, components: [], allowedMentions: NO_MENTIONS });
    else await i.followUp(asOptions(msg));
  } catch (e) {
    ctx.log.warn({ err: e, interaction: i.id }, "could not tell the person a discord interaction failed");
  }
}

/** Suggestions for one option, by what its declaration says it picks. */
async function suggestionsFor(services: Services, kind: NonNullable<OptionSpec["autocomplete"]>, query: string, speaker: Speaker): Promise<Suggestion[]> {
  switch (kind) {
    case "request":
      return suggestRequests(services, query);
    case "community":
      return suggestCommunities(services, query, await resolveActor(services, speaker));
    case "ticket":
      return suggestTickets(services, query, await resolveActor(services, speaker));
  }
}

/** Autocomplete answers are read-only and never deferred; on any failure the list is empty. */
async function answerAutocomplete(ctx: InteractionContext, i: AutocompleteInteraction): Promise<void> {
  let choices: ApplicationCommandOptionChoiceData[] = [];
  try {
    const focused = i.options.getFocused(true);
    const spec = loadCommands().get(i.commandName)?.options.find((o) => o.name === focused.name);
    if (spec?.autocomplete) {
      const { speaker } = interactionSpeaker(i);
      const found = await suggestionsFor(ctx.services, spec.autocomplete, String(focused.value ?? ""), speaker);
      choices = found
        .map((s) => ({ name: s.label, value: spec.type === "string" ? String(s.value) : Number(s.value) }))
        .filter((c) => typeof c.value === "string" || Number.isFinite(c.value));
    }
  } catch (e) {
    ctx.log.warn({ err: e, interaction: i.id }, "discord autocomplete failed");
  }
  try {
    await i.respond(choices.slice(0, 25));
  } catch (e) {
    ctx.log.warn({ err: e, interaction: i.id }, "could not answer discord autocomplete");
  }
}
