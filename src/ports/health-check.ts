/** One dependency's readiness probe; `check` rejects (or throws) when the dependency is unusable. */
export interface HealthCheck {
  readonly name: string;
  /** A failing required check makes the whole service not ready. */
  readonly required: boolean;
  check(): Promise<void>;
}
export const HealthCheck = Symbol.for("HealthCheck");
