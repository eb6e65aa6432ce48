import { hostname } from "node:os";
import type { JobHandler } from "../../application/jobs/job-handler.js";
import { JobRunner } from "../../application/jobs/job-runner.js";
import { Clock } from "../../ports/clock.js";
import { JobObserver } from "../../ports/job-observer.js";
import { JobQueue } from "../../ports/job-queue.js";
import { JobSchedules, type Schedule } from "../../ports/job-schedules.js";
import { Logger } from "../../ports/logger.js";
import type { LogWatcher } from "../../ports/relay-state.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import { allOf, ifBound } from "./all-of.js";
import type { Module } from "./module.js";
import { runsWorker } from "./worker-module.js";

/** How long one LISTEN wait lasts before it is renewed; a notification ends it early. */
const LISTEN_ROUND_MS = 30_000;

/**
 * Background jobs where the worker runs: the job runner with every context's job handlers, and the
 * schedules they declared, defined as the worker starts. Every process may enqueue (the Jobs port is
 * the persistence driver's); only workers run jobs.
 */
export const jobsModule: Module = (container, config, role) => {
  container.bind(JobObserver).toService(Tokens.Metrics);
  if (!runsWorker(config, role)) return;

  container
    .bind(Tokens.JobRunner)
    .toResolvedValue(
      (
        queue: JobQueue,
        handlers: JobHandler<unknown>[] | undefined,
        clock: Clock,
        logger: Logger,
        schedules: JobSchedules,
        observer: JobObserver,
      ) =>
        new JobRunner(
          queue,
          handlers ?? [],
          clock,
          logger.child({ component: "jobs" }),
          { ...config.jobs, worker: `${hostname()}:${process.pid}` },
          schedules,
          observer,
        ),
      [JobQueue, allOf(Tokens.JobHandlers), Clock, Logger, JobSchedules, JobObserver],
    );

  container.bind(Tokens.WorkerComponents).toResolvedValue(
    (
      runner: JobRunner,
      schedules: JobSchedules,
      declared: Schedule<unknown>[] | undefined,
      watcher: LogWatcher | undefined,
    ): Component => {
      let listening: Promise<void> | undefined;
      let stopped = false;
      // A new job, committed by any process, wakes the runner at once; JOBS__POLL_MS stays the
      // fallback (a lost connection, a retry coming due, a job enqueued to run later).
      const listen = async (watching: LogWatcher) => {
        while (!stopped) {
          await watching.wait(LISTEN_ROUND_MS);
          if (!stopped) runner.wake();
        }
      };
      return {
        name: "jobs",
        start: async () => {
          // Every worker defines them: unchanged, a schedule keeps its next firing, so starting (or
          // restarting) a worker neither skips nor repeats one; a changed cron takes effect here.
          for (const schedule of declared ?? []) await schedules.define(schedule);
          runner.start();
          if (watcher !== undefined) listening = listen(watcher);
        },
        stop: async () => {
          stopped = true;
          await watcher?.close();
          await listening;
          await runner.stop();
        },
      };
    },
    [Tokens.JobRunner, JobSchedules, allOf(Tokens.Schedules), ifBound(Tokens.JobWatcher)],
  );
};
