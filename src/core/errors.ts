import type { MessageKey } from "../i18n/catalog";
import type { MessageValues } from "../i18n/translate";
import { translator } from "../i18n/translate";

/** A catalog message, formatted for the reader where it is shown. */
export interface Localized {
  key: MessageKey;
  values?: MessageValues;
}

/**
 * An error whose message is safe and meant for the person who asked: bad input, refusal, not
 * found. Given as a catalog message, it is shown in the reader's language (message holds the
 * English text, for logs); given as a string, it is shown as it is.
 */
export class UserError extends Error {
  readonly localized?: Localized;

  constructor(message: string | Localized) {
    super(typeof message === "string" ? message : translator("en").t(message.key, message.values));
    this.name = "UserError";
    if (typeof message !== "string") this.localized = message;
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
