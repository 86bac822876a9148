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
      write(`\n📣 to ${to}${thread}: ${renderText(d.reply)}\n`);
      return { externalId: `shell-${d.id}-${++n}` };
    },
  };
}
