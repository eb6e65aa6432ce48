import type { Container } from "inversify";
import { Logger } from "../ports/logger.js";
import type { ConfigStore } from "./config/index.js";
import { buildContainer, type Composition } from "./container.js";
import { type Component, Lifecycle } from "./lifecycle.js";
import { Tokens } from "./tokens.js";

/** For one-shot commands: the container with its adapters started, stopped again afterwards. */
export async function withAdapters<T>(
  store: ConfigStore,
  work: (container: Container) => Promise<T>,
  composition: Composition = {},
): Promise<T> {
  const container = buildContainer(store, composition);
  const lifecycle = new Lifecycle(container.get<Logger>(Logger));
  await lifecycle.start(container.getAll<Component>(Tokens.Components, { optional: true }));
  try {
    return await work(container);
  } finally {
    await lifecycle.stop();
  }
}
