/**
 * Lets the first of a run of identical log lines through and holds back the repeats for
 * `windowMs`, counting them: during an outage every request fails the same way, and one line per
 * window (with how many were held back) tells an operator as much as thousands.
 */
export class RepeatGuard {
  private readonly seen = new Map<string, { until: number; suppressed: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to write the line for `key` now, and how many like it were held back since the last one. */
  admit(key: string): { readonly write: boolean; readonly suppressed: number } {
    const at = this.now();
    const entry = this.seen.get(key);
    if (entry !== undefined && at < entry.until) {
      entry.suppressed += 1;
      return { write: false, suppressed: entry.suppressed };
    }
    this.seen.set(key, { until: at + this.windowMs, suppressed: 0 });
    return { write: true, suppressed: entry?.suppressed ?? 0 };
  }
}
