import { type APIInteractionResponse, type Client, InteractionResponseType, InteractionType, MessageFlags, Routes } from "discord.js";
import type { Logger } from "pino";
import { errorReply } from "../../core/reply";
import { translator } from "../../i18n/translate";
import { NO_MENTIONS, renderMessage } from "./render";

/** What a malformed INTERACTION_CREATE is renamed to, so no discord.js handler touches it. */
const DROPPED = "FLYWHEEL_MALFORMED_INTERACTION_CREATE";

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * Whether an INTERACTION_CREATE has the shape discord.js relies on. discord.js builds its
 * interaction objects inside the gateway's event handler, where a missing field throws an
 * uncaught exception that would take the whole process down. These checks mirror what its
 * constructors read (14.x): ids, token, who, and per type the data they dereference.
 */
export function isWellFormedInteraction(d: unknown): boolean {
  if (!isObj(d) || !isStr(d.id) || !isStr(d.token) || !isStr(d.application_id) || !isNum(d.type)) return false;
  const who = isObj(d.user) ? d.user : isObj(d.member) && isObj(d.member.user) ? d.member.user : undefined;
  if (!who || !isStr(who.id)) return false;
  if (d.channel !== undefined && d.channel !== null && !(isObj(d.channel) && isStr(d.channel.id))) return false;
  const data = d.data;
  const optionsOk = (opts: unknown): boolean =>
    opts === undefined || (Array.isArray(opts) && opts.every((o) => isObj(o) && isStr(o.name) && isNum(o.type) && optionsOk(o.options)));
  switch (d.type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete:
      return isObj(data) && isStr(data.id) && isStr(data.name) && isNum(data.type) && optionsOk(data.options);
    case InteractionType.MessageComponent:
      return isObj(data) && typeof data.custom_id === "string" && isNum(data.component_type) && isObj(d.message) && isStr(d.message.id) &&
        (data.values === undefined || (Array.isArray(data.values) && data.values.every((v) => typeof v === "string")));
    case InteractionType.ModalSubmit:
      return isObj(data) && typeof data.custom_id === "string" && Array.isArray(data.components) &&
        data.components.every((c) => isObj(c) && (Array.isArray(c.components) ? c.components.every(isObj) : isObj(c.component) || c.component === undefined));
    default:
      return true; // discord.js ignores types it does not know, safely
  }
}

/**
 * Screens every INTERACTION_CREATE before discord.js handles it (the 'raw' event runs first,
 * with the very packet object it is about to handle). A malformed one is renamed so discord.js
 * skips it, and answered with an error when it carries enough to be answered.
 */
export function guardInteractions(client: Client, log: Logger): void {
  client.on("raw", (packet: { t?: string | null; d?: unknown }) => {
    if (packet.t !== "INTERACTION_CREATE" || isWellFormedInteraction(packet.d)) return;
    packet.t = DROPPED;
    const d = isObj(packet.d) ? packet.d : {};
    log.warn({ interaction: isStr(d.id) ? d.id : undefined, type: d.type }, "malformed discord interaction refused");
    if (!isStr(d.id) || !isStr(d.token)) return;
    client.rest
      .post(Routes.interactionCallback(d.id, d.token), { body: malformedAnswer(d), auth: false })
      .catch((e: unknown) => log.warn({ err: e }, "could not answer a malformed discord interaction"));
  });
}

/** The answer to an interaction too broken to handle: an empty autocomplete list, or a private error. */
export function malformedAnswer(d: Obj): APIInteractionResponse {
  // A packet too broken to trust names no community; its own locale, if it is a string, still helps.
  return d.type === InteractionType.ApplicationCommandAutocomplete
    ? { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } }
    : {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { ...renderMessage(errorReply(translator(isStr(d.locale) ? d.locale : undefined).t("platforms.discord.unreadable"))), flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS },
      };
}
