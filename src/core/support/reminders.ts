// SLA reminders: an open ticket staff have not answered (since it was opened, or since it was
// reopened) gets a reminder in its staff thread after its priority's threshold (config
// supportReminders, minutes), then at twice the threshold an escalation that pings the on-call
// staff group (config onCall) — the one ping the bot makes.
import type { Services } from "../context";
import type { Mention, Reply } from "../reply";
import { formatDuration } from "../text";
import type { Translator } from "../../i18n/translate";
import { type FullTicket, post, staffTarget, staffTranslator, ticketInclude } from "./model";

export interface ReminderRun {
  /** Tickets that got their first reminder in this run. */
  reminded: number[];
  /** Tickets escalated to the on-call group in this run. */
  escalated: number[];
}

const thresholdMs = (services: Services, t: { priority: FullTicket["priority"] }) => services.config.supportReminders[t.priority] * 60_000;

/** The level a ticket has reached: 0 none, 1 reminder, 2 on-call escalation. */
export function dueLevel(services: Services, t: Pick<FullTicket, "priority" | "awaitingStaffSince">, now: Date): 0 | 1 | 2 {
  if (!t.awaitingStaffSince) return 0;
  const age = now.getTime() - t.awaitingStaffSince.getTime();
  const limit = thresholdMs(services, t);
  return age >= 2 * limit ? 2 : age >= limit ? 1 : 0;
}

function onCallMention(services: Services, platform: string, tr: Translator): Mention | undefined {
  const id = platform === "slack" ? services.config.onCall?.slack : platform === "discord" ? services.config.onCall?.discord : undefined;
  return id ? { kind: "group", id: String(id), label: tr.t("support.reminder.onCallLabel") } : undefined;
}

/** Reminders are read in the staff thread: in the support space's language. */
function reminderReply(services: Services, t: FullTicket, since: Date, level: 1 | 2, now: Date, platform: string): Reply {
  const tr = staffTranslator(services.config);
  const values = {
    id: t.id,
    priority: t.priority,
    community: t.community.name,
    waited: formatDuration(now.getTime() - since.getTime(), tr),
    limit: formatDuration(thresholdMs(services, t), tr),
    reopened: t.reopenCount ? "yes" : "no",
    platform,
    setting: "onCall",
    file: "flywheel.yml",
  };
  const claim = [{ label: tr.t("support.button.claim"), command: `ticket claim ${t.id}`, style: "primary" as const }];
  if (level === 1) return { text: tr.t("support.reminder.first", values), buttons: claim };
  const mention = onCallMention(services, platform, tr);
  return {
    text: tr.t(mention ? "support.reminder.escalated" : "support.reminder.escalatedNoOnCall", values),
    buttons: claim,
    ...(mention ? { mentions: [mention] } : {}),
  };
}

/**
 * Posts the reminders due at `now`. Safe to run often and from several replicas at once: a
 * ticket's level only moves up through a conditional update, and each message has its own key.
 * A run that finds a ticket already past twice its threshold goes straight to the escalation.
 */
export async function runSupportReminders(services: Services, now: Date = services.clock.now()): Promise<ReminderRun> {
  const run: ReminderRun = { reminded: [], escalated: [] };
  const shortest = Math.min(...Object.values(services.config.supportReminders)) * 60_000;
  const candidates = await services.db.supportTicket.findMany({
    where: { status: "open", reminderLevel: { lt: 2 }, awaitingStaffSince: { lte: new Date(now.getTime() - shortest) } },
    include: ticketInclude,
    orderBy: { id: "asc" },
  });
  for (const t of candidates) {
    const since = t.awaitingStaffSince;
    const level = dueLevel(services, t, now);
    const staff = staffTarget(t);
    if (!since || level <= t.reminderLevel || level === 0 || !staff) continue;
    const posted = await services.db.$transaction(async (tx) => {
      // Only if staff have not answered (nor the ticket been reopened) since it was read.
      const moved = await tx.supportTicket.updateMany({
        where: { id: t.id, status: "open", awaitingStaffSince: since, reminderLevel: { lt: level } },
        data: { reminderLevel: level, lastReminderAt: now },
      });
      if (!moved.count) return false;
      const reply = reminderReply(services, t, since, level, now, staff.place.platform);
      await tx.ticketMessage.create({ data: { ticketId: t.id, side: "bot", internal: true, body: reply.text, platform: staff.place.platform, createdAt: now } });
      // Each reopening waits anew, so its reminders are messages of their own.
      await post(tx, services, `ticket:${t.id}:reminder:${level}${t.reopenCount ? `:reopen${t.reopenCount}` : ""}`, staff, reply);
      return true;
    });
    if (posted) (level === 2 ? run.escalated : run.reminded).push(t.id);
  }
  if (run.reminded.length || run.escalated.length) services.log.info(run, "support reminders posted");
  return run;
}
