import type { Place, Reply } from "../../src/core/reply";
import type { Deliverer } from "../../src/delivery/deliverer";

export interface Posted {
  rowId: number;
  key: string;
  place: Place;
  reply: Reply;
  /** The id the "platform" gave the message (or the edited message's id). */
  externalId: string;
  /** Set when this delivery edited a message instead of posting one. */
  edited?: string;
  /** The thread the message opened (Discord-like), if any. */
  opened?: string;
}

export interface RecordingDeliverer extends Deliverer {
  posted: Posted[];
  /** Messages posted in the thread with this id (replies, not the root). */
  inThread(thread: string): Posted[];
  edits(of: string): Posted[];
}

/**
 * A Deliverer that records what would be posted, answering like the platform would: Slack gives
 * a ts and threads on it; Discord gives a message id and (for a channel message) opens a
 * thread with its own id, so replies carry that thread id.
 */
export function recordingDeliverer(platform: Place["platform"]): RecordingDeliverer {
  let n = 0;
  const posted: Posted[] = [];
  return {
    platform,
    posted,
    inThread: (thread) => posted.filter((p) => p.place.thread === thread && !p.edited),
    edits: (of) => posted.filter((p) => p.edited === of),
    async deliver(d) {
      n++;
      if (d.editExternalId) {
        posted.push({ rowId: d.id, key: d.key, place: d.place, reply: d.reply, externalId: d.editExternalId, edited: d.editExternalId });
        return { externalId: d.editExternalId };
      }
      const externalId = platform === "slack" ? `${1764400000 + n}.${String(n).padStart(6, "0")}` : `${platform === "discord" ? "3" : "9"}${String(n).padStart(17, "0")}`;
      const opened = platform === "discord" && d.place.channel && !d.place.thread ? `4${String(n).padStart(17, "0")}` : undefined;
      posted.push({ rowId: d.id, key: d.key, place: d.place, reply: d.reply, externalId, opened });
      return { externalId, thread: opened };
    },
  };
}
