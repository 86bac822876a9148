import type { Services } from "../core/context";
import { forgetHomeRows } from "../core/home/refresh";
import type { Job } from "./scheduler";

/** Home page rows are kept a day (enough to see what was published when), then forgotten. */
export const HOME_ROW_MEMORY_MS = 24 * 60 * 60 * 1000;

export async function forgetOldHomeRows(services: Services): Promise<number> {
  const before = new Date(services.clock.now().getTime() - HOME_ROW_MEMORY_MS);
  const forgotten = await forgetHomeRows(services.db, before);
  if (forgotten) services.log.info({ forgotten, before }, "forgot published home page rows");
  return forgotten;
}

/** Hourly: a busy community's home pages republish many times a day. */
export const forgetOldHomeRowsJob = (services: Services): Job => ({
  name: "forget-old-home-rows",
  cron: "41 * * * *",
  run: () => forgetOldHomeRows(services),
});
