// The SLA reminders run from the scheduler (on the replica that leads), on the app's clock.
import { startSupportApp, type SupportApp } from "./helpers/support-app";
import { as } from "./helpers/actors";

let s: SupportApp;
beforeAll(async () => {
  s = await startSupportApp("pglite");
});
afterAll(() => s.close());

test("the scheduler's support-reminders job reminds, then escalates, as the clock passes the thresholds", async () => {
  const { app, clock } = s;
  const deadline = Date.now() + 30_000;
  while (!app.scheduler.scheduled().some((j) => j.name === "support-reminders")) {
    if (Date.now() > deadline) throw new Error("the scheduler never scheduled support-reminders");
    await new Promise((r) => setTimeout(r, 20));
  }
  const job = app.scheduler.scheduled().find((j) => j.name === "support-reminders")!;
  expect(job.cron).toBe("* * * * *");

  const opened = await as(app.services, "ana", "alpha")("/support Builds fail with a quota error");
  const id = Number(/#(\d+)/.exec(opened.text)![1]);
  const level = async () => (await app.services.db.supportTicket.findUniqueOrThrow({ where: { id } })).reminderLevel;

  clock.advance(239 * 60_000); // normal priority: 240 minutes
  await job.task.execute();
  expect(await level()).toBe(0);
  clock.advance(2 * 60_000);
  await job.task.execute();
  expect(await level()).toBe(1);
  await job.task.execute(); // the next minute's run does not remind twice
  expect(await level()).toBe(1);
  clock.advance(240 * 60_000);
  await job.task.execute();
  expect(await level()).toBe(2);
  await s.drain();
  const staffThread = s.slack.posted.filter((p) => p.place.channel === "C0SUPPORT").map((p) => p.reply.text);
  expect(staffThread.some((t) => /remind/i.test(t))).toBe(true);
});
