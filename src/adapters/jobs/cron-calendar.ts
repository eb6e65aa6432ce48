import { Cron } from "croner";
import { InvalidSchedule } from "../../ports/job-schedules.js";

/**
 * When a schedule fires next, strictly after `after`. croner reads the five-field expression in the
 * given IANA zone, with the daylight-saving rules the port promises: a fixed daily time that falls in
 * a spring-forward gap fires at the first time after it, one that occurs twice fires once. Refused:
 * an expression that does not parse, a zone the platform does not know, one that never fires.
 */
export function nextFiring(schedule: string, cron: string, timeZone: string, after: Date): Date {
  if (!knownTimeZone(timeZone)) throw new InvalidSchedule(schedule, `unknown time zone "${timeZone}"`);
  let next: Date | null;
  try {
    next = new Cron(cron, { timezone: timeZone, mode: "5-part" }).nextRun(after);
  } catch (error) {
    throw new InvalidSchedule(
      schedule,
      `"${cron}" is not a five-field cron expression (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (next === null) throw new InvalidSchedule(schedule, `"${cron}" never fires`);
  return next;
}

function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}
