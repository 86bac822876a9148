import type { MessageKey } from "../i18n/catalog";
// Platform-neutral answers. Adapters render a Reply as Block Kit, a Discord embed + components,
// or terminal text; nothing in here knows which.

/** Where something was said or should be said. thread is the platform's thread/root message id. */
export interface Place {
  platform: "slack" | "discord" | "shell" | "github";
  workspace?: string; // Slack team id, Discord guild id
  channel?: string;
  thread?: string;
  /** A direct-message target (user id on that platform) when there is no channel. */
  user?: string;
  /** Asked on the roadmap page rather than in chat: the platform is the person's, for telling them later. */
  via?: "web";
}

/** A button runs a command line through the same registry as a typed command. */
export interface Button {
  label: string;
  /** Command line without the slash, e.g. "upvote 12" or "requests open --page 2". */
  command: string;
  style?: "primary" | "danger";
}

export interface Field {
  label: string;
  value: string;
}

export interface Section {
  title?: string;
  text?: string;
  fields?: Field[];
  buttons?: Button[];
  /** Optional link the title points to. */
  url?: string;
}

/**
 * Ask the platform to open a form; on submit, the named command runs with the fields as options.
 * Titles, labels and placeholders are catalog keys: the platform renders them in the reader's language.
 */
export interface ModalSpec {
  command: string;
  title: MessageKey;
  submitLabel?: MessageKey;
  fields: ModalField[];
  /** Options passed through unchanged on submit (e.g. a message link for a shortcut). */
  hidden?: Record<string, string>;
}

export interface ModalField {
  name: string;
  label: MessageKey;
  long?: boolean;
  required?: boolean;
  maxLength?: number;
  minLength?: number;
  initial?: string;
  placeholder?: MessageKey;
}

/**
 * A ping the bot itself decided to make: today only the on-call staff group in a support
 * escalation. Never built from user text; adapters render it as a real mention (Slack
 * `<!subteam^ID>`, Discord `<@&ID>` with allowed_mentions limited to that role).
 */
export interface Mention {
  kind: "group";
  /** The platform's id of the group: a Slack user group (S...), a Discord role. */
  id: string;
  /** How to show it where it cannot ping (the terminal): "on-call staff". */
  label: string;
}

export interface Reply {
  /** Plain-text summary: the terminal shows it, chat platforms use it as the notification text. */
  text: string;
  title?: string;
  sections?: Section[];
  buttons?: Button[];
  /** Only the person who asked sees it. */
  ephemeral?: boolean;
  /** Something went wrong (bad input, refused); adapters style it and the CLI exits non-zero. */
  error?: boolean;
  /** Bad input about one option: its name, so a form can show the error under that field. */
  field?: string;
  modal?: ModalSpec;
  /** Pings decided by the bot (see Mention); rendered before the text. */
  mentions?: Mention[];
  /**
   * Not a message: the person's home page (Slack's App Home tab) needs publishing again. The
   * deliverer builds it from the data as it is then, so a burst of changes publishes once.
   */
  home?: true;
  /** A discussion topic, on a platform that has them (a Discord forum post); see Topic. */
  topic?: Topic;
}

/**
 * With `title`, the reply opens a new topic in its place's channel (a forum post) and is its first
 * message. With `status` alone, it posts nothing: it marks the topic (the place's thread) with that
 * status, replacing whichever of `statuses` it had, the mark created when the forum lacks it.
 */
export interface Topic {
  title?: string;
  /** The status as the forum's readers name it ("Planned"). */
  status?: string;
  /** Every status name, so the one replaced is recognised whichever it was. */
  statuses?: string[];
}

export const errorReply = (text: string): Reply => ({ text, ephemeral: true, error: true });
