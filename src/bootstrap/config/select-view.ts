import type { LiveConfig } from "../../ports/live-config.js";
import { structurallyEqual } from "./structurally-equal.js";

/** A view of one slice of `source`: its subscribers hear only of reloads that changed that slice. */
export function selectView<T, U>(source: LiveConfig<T>, selector: (config: T) => U): LiveConfig<U> {
  // Views are read on every request: the slice is recomputed only when a reload replaced the config.
  let config = source.get();
  let slice = selector(config);
  return {
    get: () => {
      const current = source.get();
      if (current !== config) {
        config = current;
        slice = selector(current);
      }
      return slice;
    },
    subscribe: (listener) =>
      source.subscribe((next, previous) => {
        const [nextSlice, previousSlice] = [selector(next), selector(previous)];
        if (!structurallyEqual(nextSlice, previousSlice)) listener(nextSlice, previousSlice);
      }),
  };
}
