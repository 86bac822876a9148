import type { Deliverer } from "../../delivery/deliverer";
import type { Place } from "../../core/reply";
import type { Translator } from "../../i18n/translate";
import { renderText } from "./render";

/**
 * Outbox rows for the terminal are printed, so a local user sees notifications and digests.
 * languageOf says which language a place reads (its community's: translatorForPlace).
 */
export function shellDeliverer(write: (text: string) => void, languageOf: (place: Place) => Translator): Deliverer {
  let n = 0;
  return {
    platform: "shell",
    async deliver(d) {
      const t = languageOf(d.place);
      const to = d.place.user ? `@${d.place.user}` : `#${d.place.channel ?? "terminal"}`;
      // The terminal cannot change what it printed: an edit is printed again, marked as one.
      const line = t.t("platforms.shell.delivered", { to, thread: d.place.thread ?? "none", edited: d.editExternalId ? "yes" : "no", text: renderText(d.reply, t) });
      write(`\n${line}\n`);
      return { externalId: d.editExternalId ?? `shell-${d.id}-${++n}` };
    },
  };
}
