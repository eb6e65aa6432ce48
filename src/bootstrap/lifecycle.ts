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

/**
 * Starts components in dependency order (the order given) and stops them in reverse. Once stopping
 * begins, `draining` is true, so readiness reports 503 before the server stops accepting.
 */
export class Lifecycle {
  private readonly running: Component[] = [];
  private stopping: Promise<void> | undefined;
  #draining = false;

  constructor(private readonly logger: Logger) {}

  get draining(): boolean {
    return this.#draining;
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
  }

  /** Idempotent: a second signal while stopping waits for the same shutdown. */
  stop(): Promise<void> {
    this.#draining = true;
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
