import type { LiveConfig } from "../../ports/live-config.js";
import { structurallyEqual } from "./structurally-equal.js";

/** A view of one slice of `source`: its subscribers hear only of reloads that changed that slice. */
export function selectView<T, U>(source: LiveConfig<T>, selector: (config: T) => U): LiveConfig<U> {
  return {
    get: () => selector(source.get()),
    subscribe: (listener) =>
      source.subscribe((next, previous) => {
        const [nextSlice, previousSlice] = [selector(next), selector(previous)];
        if (!structurallyEqual(nextSlice, previousSlice)) listener(nextSlice, previousSlice);
      }),
  };
}
