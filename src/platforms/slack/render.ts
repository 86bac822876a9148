import type { types } from "@slack/bolt";
import type { Button, ModalSpec, Reply, Section } from "../../core/reply";
import { MODAL_CALLBACK } from "./ids";
import type { Translator } from "../../i18n/translate";
import { clip, escapeMrkdwn, mrkdwnLink, plainText } from "./text";

type KnownBlock = types.KnownBlock;
type ActionsBlock = types.ActionsBlock;
type ModalView = types.ModalView;


// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const MAX_BLOCKS = 50;
const SECTION_TEXT = 3000;
const FIELD_TEXT = 2000;
const HEADER_TEXT = 150;
const BUTTON_TEXT = 75;
const BUTTON_VALUE = 2000;
const BUTTONS_PER_ACTIONS = 25;
const MESSAGE_TEXT = 39000;

/** What chat.postMessage, response_url and slash-command acks all accept. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

function buttonsBlock(buttons: Button[], next: () => number): ActionsBlock[] {
  const usable = buttons.filter((b) => b.command.length <= BUTTON_VALUE);
  const out: ActionsBlock[] = [];
  for (let i = 0; i < usable.length; i += BUTTONS_PER_ACTIONS) {
    out.push({
      type: "actions",
      elements: usable.slice(i, i + BUTTONS_PER_ACTIONS).map((b) => ({
        type: "button" as const,
        action_id: `fw:${next()}`,
        text: { type: "plain_text" as const, text: clip(plainText(b.label), BUTTON_TEXT), emoji: true },
        value: b.command,
        ...(b.style ? { style: b.style } : {}),
      })),
    });
  }
  return out;
}

function sectionBlocks(s: Section, next: () => number): KnownBlock[] {
  const head = s.title ? `*${s.url ? mrkdwnLink(s.url, s.title) : escapeMrkdwn(s.title)}*` : undefined;
  const body = [head, s.text ? escapeMrkdwn(s.text) : undefined].filter(Boolean).join("\n");
  const fields = (s.fields ?? []).slice(0, 10).map((f) => ({
    type: "mrkdwn" as const,
    text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, FIELD_TEXT),
  }));
  const blocks: KnownBlock[] = [];
  if (body || fields.length) {
    blocks.push({
      type: "section",
      ...(body ? { text: { type: "mrkdwn" as const, text: clip(body, SECTION_TEXT) } } : {}),
      ...(fields.length ? { fields } : {}),
    });
  }
  blocks.push(...buttonsBlock(s.buttons ?? [], next));
  return blocks;
}

/** Long text split into section-sized pieces, at line breaks where possible. */
function textBlocks(text: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  let rest = text;
  while (rest.length) {
    let cut = rest.length <= SECTION_TEXT ? rest.length : rest.lastIndexOf("\n", SECTION_TEXT);
    if (cut <= 0) cut = Math.min(rest.length, SECTION_TEXT);
    out.push({ type: "section", text: { type: "mrkdwn", text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  return out;
}

/**
 * A Reply as Block Kit: an optional header, the lead text, one section (+ buttons) per Reply
 * section, then the reply's own buttons. Every piece of text is escaped here, so nothing a
 * member typed can mention anyone. Within Slack's 50-block limit, trailing sections give way.
 */
export function renderMessage(r: Reply): SlackMessage {
  let n = 0;
  const next = () => n++;
  const head: KnownBlock[] = [];
  if (r.title) head.push({ type: "header", text: { type: "plain_text", text: clip(plainText(r.title), HEADER_TEXT), emoji: true } });
  // With sections, the text is their plain-text rendering: only its first line leads in.
  const lead = r.sections?.length ? r.text.split("\n")[0] : r.text;
  const ping = groupPings(r);
  const leadText = `${ping}${r.error ? ":warning: " : ""}${escapeMrkdwn(lead)}`;
  if (lead.trim()) head.push(...textBlocks(leadText).slice(0, 5));
  const tail = buttonsBlock(r.buttons ?? [], next);
  const body: KnownBlock[] = [];
  for (const s of r.sections ?? []) {
    const blocks = sectionBlocks(s, next);
    if (head.length + body.length + blocks.length + tail.length > MAX_BLOCKS) break;
    body.push(...blocks);
  }
  return { text: clip(`${ping}${r.error ? "⚠️ " : ""}${escapeMrkdwn(r.text)}`, MESSAGE_TEXT), blocks: [...head, ...body, ...tail] };
}

/**
 * The only pings the bot makes: user groups it decided to alert (the on-call group). Built from
 * the config's group id, never from text, and only when the id looks like a Slack group id.
 */
function groupPings(r: Reply): string {
  return (r.mentions ?? [])
    .filter((m) => m.kind === "group" && /^S[A-Z0-9]{2,20}$/.test(m.id))
    .map((m) => `<!subteam^${m.id}> `)
    .join("");
}

/** What a modal remembers between opening and submission (Slack hands it back, signed). */
export interface ModalState {
  /** The command to run on submit. */
  c: string;
  /** Team, channel and thread it was opened from; the response_url to answer on. */
  ws?: string;
  ch?: string;
  th?: string;
  r?: string;
  /** ModalSpec.hidden: options passed through unchanged. */
  h?: Record<string, string>;
}

const PLAIN_INPUT_MAX = 3000;

/** A ModalSpec as a Slack modal: one plain-text input per field, block_id = option name. */
export function renderModal(spec: ModalSpec, state: Omit<ModalState, "c" | "h">, t: Translator): ModalView {
  let meta: ModalState = { c: spec.command, ...state, ...(spec.hidden ? { h: spec.hidden } : {}) };
  // private_metadata holds 3000 characters; the response_url is the one thing we can do without.
  if (JSON.stringify(meta).length > 3000) meta = { ...meta, r: undefined };
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK,
    title: { type: "plain_text", text: clip(t.t(spec.title), 24) },
    submit: { type: "plain_text", text: clip(t.t(spec.submitLabel ?? "platforms.form.submit"), 24) },
    close: { type: "plain_text", text: clip(t.t("platforms.form.cancel"), 24) },
    private_metadata: JSON.stringify(meta),
    blocks: spec.fields.map((f) => {
      const max = Math.min(f.maxLength ?? PLAIN_INPUT_MAX, PLAIN_INPUT_MAX);
      return {
        type: "input" as const,
        block_id: f.name,
        optional: !f.required,
        label: { type: "plain_text" as const, text: clip(t.t(f.label), 2000) },
        element: {
          type: "plain_text_input" as const,
          action_id: "value",
          multiline: f.long === true,
          max_length: max,
          ...(f.minLength ? { min_length: Math.min(f.minLength, max) } : {}),
          ...(f.initial ? { initial_value: f.initial.slice(0, max) } : {}),
          ...(f.placeholder ? { placeholder: { type: "plain_text" as const, text: clip(t.t(f.placeholder), 150) } } : {}),
        },
      };
    }),
  };
}

/** A modal that only shows a message (a submission that cannot succeed by editing the form). */
export function noticeModal(title: string, text: string, t: Translator): ModalView {
  return {
    type: "modal",
    callback_id: "fw:notice",
    title: { type: "plain_text", text: clip(title, 24) },
    close: { type: "plain_text", text: clip(t.t("platforms.form.close"), 24) },
    blocks: textBlocks(`:warning: ${escapeMrkdwn(text)}`).slice(0, 5),
  };
}

export function parseModalState(raw: string): ModalState | undefined {
  try {
    const v = JSON.parse(raw) as Partial<ModalState>;
    return typeof v.c === "string" && v.c ? (v as ModalState) : undefined;
  } catch {
    return undefined;
  }
}
