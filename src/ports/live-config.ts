import { token } from "./token.js";

/** Settings that may change while the process runs (SIGHUP reload); read them, or subscribe to changes. */
export interface LiveConfig<T> {
  get(): T;
  /** Called after a reload changed the value; returns a function that unsubscribes. */
  subscribe(listener: (next: T, previous: T) => void): () => void;
}
export const LiveConfig = token<LiveConfig<unknown>>("LiveConfig");
