import type { Services } from "../core/context";
import { SESSION_IDLE_MS } from "../web/signin/sessions";
import type { Job } from "./scheduler";

/** A sign-in nobody finished within a day is only clutter: its callback is refused after 10 minutes. */
const UNFINISHED_SIGNIN_MS = 86_400_000;

/** The daily clean-up of the roadmap's sign-ins: revoked or 30-days-idle sessions, old sign-in attempts. */
export async function forgetWebSessions(services: Services): Promise<{ sessions: number; signins: number }> {
  const now = services.clock.now().getTime();
  const sessions = await services.db.webSession.deleteMany({ where: { OR: [{ revokedAt: { not: null } }, { lastSeenAt: { lt: new Date(now - SESSION_IDLE_MS) } }] } });
  const signins = await services.db.webSignin.deleteMany({ where: { createdAt: { lt: new Date(now - UNFINISHED_SIGNIN_MS) } } });
  if (sessions.count || signins.count) services.log.info({ sessions: sessions.count, signins: signins.count }, "forgot ended web sessions");
  return { sessions: sessions.count, signins: signins.count };
}

export const forgetWebSessionsJob = (services: Services): Job => ({
  name: "forget-web-sessions",
  cron: "41 3 * * *",
  run: () => forgetWebSessions(services),
});
