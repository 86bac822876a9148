import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
  type APISelectMenuOption,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
} from "discord.js";
import type { Button, ModalSpec, Reply, Section } from "../../core/reply";
import { defuseMentions, truncate } from "../../core/text";
import type { Translator } from "../../i18n/translate";

/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
const LIMIT = {
  customId: 100,
  buttonLabel: 80,
  rows: 5,
  perRow: 5,
  selectOptions: 25,
  optionText: 100,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedTotal: 6000,
  modalTitle: 45,
  modalFields: 5,
  label: 45,
  placeholder: 100,
  textInput: 4000,
} as const;

/** A button's custom_id is "fw:" + the command line it runs, so a click is just a typed command. */
export const BUTTON_PREFIX = "fw:";
/** A select menu groups one action (e.g. Upvote) over several listed items; each option's value is a command line. */
export const SELECT_PREFIX = "fwsel:";
/** A modal's custom_id is "fwm:" + the command its fields feed, then "?k=v" hidden options. */
export const MODAL_PREFIX = "fwm:";

/** Never ping anyone: user text may contain @everyone, @here, role or user mentions. */
export const NO_MENTIONS: APIAllowedMentions = { parse: [] };

const COLOR = { normal: 0x5865f2, error: 0xed4245 } as const;

/** What every message the bot sends looks like: embeds and components, pinging no one unless the bot decided to. */
export interface DiscordMessage {
  /** Only ever the bot's own pings (Reply.mentions); user text lives in the embed, where nothing pings. */
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: APIAllowedMentions;
  flags?: MessageFlags.Ephemeral;
}

/**
 * Defence in depth beside allowed_mentions: @everyone/@here and role mentions in user text are
 * broken with a zero-width space, so even a copied or forwarded message can never mass-ping.
 */
const clean = (text: string, max: number): string => truncate(defuseMentions(text), max);

/**
 * A Reply as a Discord message: one embed, then buttons (or select menus) running command lines.
 * allowed_mentions is empty, except for the groups the bot itself chose to ping (the on-call
 * role in a support escalation), which are allowed by id and nothing else.
 */
export function renderMessage(r: Reply): DiscordMessage {
  const roles = [...new Set((r.mentions ?? []).filter((m) => m.kind === "group" && /^\d{5,25}$/.test(m.id)).map((m) => m.id))];
  const msg: DiscordMessage = {
    embeds: [renderEmbed(r)],
    components: renderComponents(r),
    allowed_mentions: roles.length ? { parse: [], roles } : NO_MENTIONS,
  };
  if (roles.length) msg.content = roles.map((id) => `<@&${id}>`).join(" ");
  if (r.ephemeral || r.error) msg.flags = MessageFlags.Ephemeral;
  return msg;
}

function renderEmbed(r: Reply): APIEmbed {
  const sections = r.sections ?? [];
  // Section text the summary already says (a ranked line in a list) is not repeated.
  const extra = sections.filter((s) => s.text && !s.title && !r.text.includes(s.text)).map((s) => s.text!);
  const embed: APIEmbed = {
    color: r.error ? COLOR.error : COLOR.normal,
    description: clean([r.text, ...extra].filter(Boolean).join("\n\n") || "\u200b", LIMIT.description),
  };
  if (r.title) embed.title = clean(r.title, LIMIT.title);
  const link = sections.find((s) => s.url)?.url;
  if (r.title && link && /^https?:\/\//.test(link)) embed.url = link;
  const fields = sections.flatMap(sectionFields).slice(0, LIMIT.fields);
  if (fields.length) embed.fields = fields;
  // The whole embed must stay under 6000 characters: drop fields from the end until it does.
  const size = () => (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  while (embed.fields?.length && size() > LIMIT.embedTotal) embed.fields.pop();
  if (embed.fields && !embed.fields.length) delete embed.fields;
  return embed;
}

function sectionFields(s: Section): APIEmbedField[] {
  const out: APIEmbedField[] = [];
  if (s.title) {
    // A field name cannot be a link, so the section's link goes under its text.
    const value = s.url && /^https?:\/\//.test(s.url) ? `${s.text ?? ""}\n${s.url}`.trim() : s.text;
    out.push({ name: clean(s.title, LIMIT.fieldName), value: clean(value || "\u200b", LIMIT.fieldValue) });
  }
  for (const f of s.fields ?? []) out.push({ name: clean(f.label || "\u200b", LIMIT.fieldName), value: clean(f.value || "\u200b", LIMIT.fieldValue), inline: true });
  return out;
}

const STYLE: Record<NonNullable<Button["style"]> | "default", ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/**
 * Buttons carry their command line in the custom_id. When the same label repeats across
 * sections (a list where every item has Upvote / Unvote / Details), buttons alone could not say
 * which item they act on, so each action becomes one select menu listing the items.
 * A command line too long for a custom_id (100) drops that button rather than failing the message.
 */
export function renderComponents(r: Reply): Row[] {
  const used = new Set<string>();
  const toButton = (b: Button): APIButtonComponentWithCustomId | undefined => {
    const custom_id = BUTTON_PREFIX + b.command.trim();
    if (custom_id.length > LIMIT.customId || used.has(custom_id) || !b.command.trim()) return undefined;
    used.add(custom_id);
    return { type: ComponentType.Button, style: STYLE[b.style ?? "default"], label: truncate(b.label, LIMIT.buttonLabel), custom_id };
  };
  const withButtons = (r.sections ?? []).filter((s) => s.buttons?.length);
  const labels = withButtons.flatMap((s) => [...new Set(s.buttons!.map((b) => b.label))]);
  const ambiguous = new Set(labels).size < labels.length;

  const top = (r.buttons ?? []).map(toButton).filter((b): b is APIButtonComponentWithCustomId => !!b);
  const topRows = chunk(top, LIMIT.perRow);
  const room = LIMIT.rows - topRows.length;

  let body: Row[];
  if (!ambiguous) {
    const buttons = withButtons.flatMap((s) => s.buttons!).map(toButton).filter((b): b is APIButtonComponentWithCustomId => !!b);
    body = chunk(buttons, LIMIT.perRow);
  } else {
    body = actionSelects(withButtons, used);
  }
  const rows: Row[] = [...body.slice(0, Math.max(0, room)), ...topRows].slice(0, LIMIT.rows);
  return rows;
}

/** One select menu per action label, one option per section carrying that action. */
function actionSelects(sections: Section[], used: Set<string>): Row[] {
  const byLabel = new Map<string, APISelectMenuOption[]>();
  for (const s of sections) {
    for (const b of s.buttons ?? []) {
      const value = b.command.trim();
      if (!value || value.length > LIMIT.optionText) continue;
      const options = byLabel.get(b.label) ?? [];
      if (options.some((o) => o.value === value) || options.length >= LIMIT.selectOptions) continue;
      options.push({ label: truncate(s.title ?? s.text ?? b.label, LIMIT.optionText), value });
      byLabel.set(b.label, options);
    }
  }
  const rows: Row[] = [];
  for (const [label, options] of byLabel) {
    const custom_id = truncate(`${SELECT_PREFIX}${label}`, LIMIT.customId);
    if (used.has(custom_id)) continue;
    used.add(custom_id);
    const select: APIStringSelectComponent = {
      type: ComponentType.StringSelect,
      custom_id,
      placeholder: truncate(`${label}…`, LIMIT.placeholder),
      min_values: 1,
      max_values: 1,
      options,
    };
    rows.push({ type: ComponentType.ActionRow, components: [select] });
  }
  return rows;
}

function chunk(buttons: APIButtonComponentWithCustomId[], size: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < buttons.length; i += size) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + size) });
  return rows;
}

/** The command line a button or select option carries, or undefined for ids that are not ours. */
export function commandLineOf(customId: string, values?: readonly string[]): string | undefined {
  if (customId.startsWith(BUTTON_PREFIX)) return customId.slice(BUTTON_PREFIX.length).trim() || undefined;
  if (customId.startsWith(SELECT_PREFIX)) return values?.[0]?.trim() || undefined;
  return undefined;
}

/** A modal for a command, or undefined when its hidden options do not fit in a custom_id. */
export function renderModal(spec: ModalSpec, t: Translator): APIModalInteractionResponseCallbackData | undefined {
  const hidden = spec.hidden && Object.keys(spec.hidden).length ? `?${new URLSearchParams(spec.hidden).toString()}` : "";
  const custom_id = `${MODAL_PREFIX}${spec.command}${hidden}`;
  if (custom_id.length > LIMIT.customId) return undefined;
  return {
    custom_id,
    title: truncate(t.t(spec.title), LIMIT.modalTitle),
    components: spec.fields.slice(0, LIMIT.modalFields).map((f) => ({
      type: ComponentType.Label,
      label: truncate(t.t(f.label), LIMIT.label),
      component: {
        type: ComponentType.TextInput,
        custom_id: f.name,
        style: f.long ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required ?? false,
        ...(f.minLength !== undefined ? { min_length: Math.min(f.minLength, LIMIT.textInput) } : {}),
        max_length: Math.min(f.maxLength ?? LIMIT.textInput, LIMIT.textInput),
        ...(f.initial ? { value: f.initial.slice(0, LIMIT.textInput) } : {}),
        ...(f.placeholder ? { placeholder: truncate(t.t(f.placeholder), LIMIT.placeholder) } : {}),
      },
    })),
  };
}

/** The command and hidden options a submitted modal carries, or undefined for ids that are not ours. */
export function parseModalId(customId: string): { command: string; hidden: Record<string, string> } | undefined {
  if (!customId.startsWith(MODAL_PREFIX)) return undefined;
  const rest = customId.slice(MODAL_PREFIX.length);
  const q = rest.indexOf("?");
  const command = (q === -1 ? rest : rest.slice(0, q)).trim();
  if (!command) return undefined;
  return { command, hidden: q === -1 ? {} : Object.fromEntries(new URLSearchParams(rest.slice(q + 1))) };
}
