import { isStorableText } from "../../domain/shared/storable-text.js";
import { InvalidSchedule } from "../../ports/job-schedules.js";

/** A schedule's name: 1 to 100 characters of storable text, so every store keeps it alike. */
export function scheduleName(name: string): string {
  if (name.trim().length === 0 || name.length > 100 || !isStorableText(name)) {
    throw new InvalidSchedule(name, "a schedule's name is 1-100 characters of storable text");
  }
  return name;
}

/**
 * The dedupe key of a schedule's jobs: the same for every firing, so while one firing's job is still
 * pending the next adds none, and a slow maintenance job never piles up behind itself.
 */
export function scheduleDedupeKey(name: string): string {
  return `schedule:${name}`;
}
