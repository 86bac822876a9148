import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import { cronProblem } from "./cron";
import type { Leadership } from "./leader";

/** A scheduled job. Jobs only enqueue work (outbox rows, claims): they never call a chat API. */
export interface Job {
  name: string;
  /** Five-field cron expression, e.g. "0 9 * * 1". */
  cron: string;
  /** IANA zone the expression is read in (default UTC). */
  timezone?: string;
  run(): Promise<unknown>;
}

/** Jobs that depend on the database (one per community), listed each time this replica leads. */
export interface JobSource {
  name: string;
  jobs(): Promise<Job[]>;
  /** Runs when this replica becomes the leader: does what was missed while nobody led. */
  catchUp?(): Promise<unknown>;
}

/**
 * Runs node-cron jobs on exactly one replica: the one the Leadership elects. A replica that is
 * elected schedules every job and catches up on missed runs; one that is demoted destroys its
 * tasks and waits for running jobs to finish.
 */
export class Scheduler {
  private sources: JobSource[] = [];
  private tasks: { job: Job; task: ScheduledTask }[] = [];
  private inFlight = new Set<Promise<unknown>>();
  private started = false;
  private electing?: Promise<void>;

  constructor(
    readonly leadership: Leadership,
    private log: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  /** A fixed job (SLA reminders, GitHub sync). */
  add(job: Job): void {
    this.addSource({ name: job.name, jobs: async () => [job] });
  }

  addSource(source: JobSource): void {
    this.sources.push(source);
    // Added while leading: schedule it now rather than at the next election.
    if (this.started && this.isLeader) void this.schedule([source]);
  }

  /** What this replica has scheduled (empty when it does not lead). */
  scheduled(): { name: string; cron: string; timezone: string; task: ScheduledTask }[] {
    return this.tasks.map(({ job, task }) => ({ name: job.name, cron: job.cron, timezone: job.timezone ?? "UTC", task }));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.leadership.start({
      elected: () => (this.electing = this.elected().catch((e: unknown) => this.log.error({ err: e }, "scheduler failed to start its jobs"))),
      demoted: () => this.demoted(),
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.leadership.stop();
    await this.demoted();
  }

  private async elected(): Promise<void> {
    await this.schedule(this.sources);
    for (const source of this.sources) {
      if (!this.isLeader) return;
      if (source.catchUp) await this.track(`${source.name} catch-up`, () => source.catchUp!());
    }
  }

  private async schedule(sources: JobSource[]): Promise<void> {
    for (const source of sources) {
      let jobs: Job[];
      try {
        jobs = await source.jobs();
      } catch (e) {
        this.log.error({ err: e, source: source.name }, "could not list scheduled jobs");
        continue;
      }
      if (!this.isLeader) return; // demoted while listing
      for (const job of jobs) {
        const problem = cronProblem(job.cron);
        if (problem) {
          this.log.error({ job: job.name, cron: job.cron, problem }, "job not scheduled: bad cron expression");
          continue;
        }
        const task = cron.schedule(job.cron, () => this.track(job.name, () => job.run()), {
          name: job.name,
          timezone: job.timezone ?? "UTC",
          noOverlap: true,
          logger: this.cronLogger(),
        });
        this.tasks.push({ job, task });
      }
    }
  }

  /** Runs a job, logging instead of throwing, and remembers it so demotion can wait for it. */
  private track(name: string, fn: () => Promise<unknown>): Promise<void> {
    const run = (async () => {
      try {
        await fn();
      } catch (e) {
        this.log.error({ err: e, job: name }, "scheduled job failed");
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async demoted(): Promise<void> {
    await this.electing;
    const tasks = this.tasks;
    this.tasks = [];
    for (const { task } of tasks) await task.destroy();
    await Promise.all([...this.inFlight]);
  }

  private cronLogger() {
    const log = this.log;
    return {
      info: (m: string) => log.debug({ source: "node-cron" }, m),
      warn: (m: string) => log.warn({ source: "node-cron" }, m),
      error: (m: string | Error, err?: Error) => log.error({ source: "node-cron", err: err ?? m }, typeof m === "string" ? m : m.message),
      debug: (m: string | Error) => log.debug({ source: "node-cron" }, typeof m === "string" ? m : m.message),
    };
  }
}
