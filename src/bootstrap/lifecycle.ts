import type { Logger } from "../ports/logger.js";

/** Something with a start and a stop: a connection pool, the HTTP server, a consumer. */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A component could not start; the ones before it were stopped again. */
export class ComponentFailedToStart extends Error {
  constructor(
    readonly component: string,
    cause: unknown,
  ) {
    super(`${component}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ComponentFailedToStart";
  }
}

/** Where a process is in its life: readiness is 503 unless it is running. */
export type Phase = "starting" | "running" | "draining";

/**
 * Starts components in dependency order (the order given) and stops them in reverse. The phase is
 * `starting` until every component has started and `draining` once stopping begins, so readiness
 * reports 503 before the first request can be served and before the server stops accepting.
 */
export class Lifecycle {
  private readonly running: Component[] = [];
  private stopping: Promise<void> | undefined;
  #phase: Phase = "starting";

  constructor(private readonly logger: Logger) {}

  get phase(): Phase {
    return this.#phase;
  }

  get draining(): boolean {
    return this.#phase === "draining";
  }

  async start(components: readonly Component[]): Promise<void> {
    for (const component of components) {
      try {
        await component.start();
      } catch (error) {
        // Reported once, by whoever started us (the CLI prints one line); no stack for an outage.
        await this.stop();
        throw new ComponentFailedToStart(component.name, error);
      }
      this.running.push(component);
      this.logger.debug({ component: component.name }, "component started");
    }
    if (this.#phase === "starting") this.#phase = "running";
  }

  /** Idempotent: a second signal while stopping waits for the same shutdown. */
  stop(): Promise<void> {
    this.#phase = "draining";
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    for (const component of this.running.reverse()) {
      try {
        await component.stop();
        this.logger.debug({ component: component.name }, "component stopped");
      } catch (error) {
        this.logger.error({ component: component.name, err: error }, "component failed to stop cleanly");
      }
    }
    this.running.length = 0;
  }
}
