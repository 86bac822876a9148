import type { Deliverer } from "../../delivery/deliverer";
import { renderText } from "./render";

/** Outbox rows for the terminal are printed, so a local user sees notifications and digests. */
export function shellDeliverer(write: (text: string) => void): Deliverer {
  let n = 0;
  return {
    platform: "shell",
    async deliver(d) {
      const to = d.place.user ? `@${d.place.user}` : `#${d.place.channel ?? "terminal"}`;
      const thread = d.place.thread ? ` (thread ${d.place.thread})` : "";
      // The terminal cannot change what it printed: an edit is printed again, marked as one.
      const edit = d.editExternalId ? " (updated)" : "";
      write(`\n📣 to ${to}${thread}${edit}: ${renderText(d.reply)}\n`);
      return { externalId: d.editExternalId ?? `shell-${d.id}-${++n}` };
    },
  };
}
