import type { StagedMiddleware } from "../../adapters/http/http-stages.js";
import type { BindingSite } from "../context/context-module.js";
import type { Component } from "../lifecycle.js";
import type { Module } from "../modules/module.js";
import { Tokens } from "../tokens.js";
import type { PluginManifest } from "./plugin-manifest.js";

/**
 * What plugins add beyond a context's contributions (those are bound with the contexts): their HTTP
 * middleware, made when the HTTP app is (after every binding, overrides included), and their hooks,
 * as components the process starts after the foundation's own.
 */
export function pluginsModule(plugins: readonly PluginManifest[]): Module {
  return (container, config, role) => {
    const site: BindingSite = { container, config, role };
    for (const plugin of plugins) {
      for (const { stage, create } of plugin.middleware ?? []) {
        container
          .bind<StagedMiddleware>(Tokens.HttpMiddleware)
          .toDynamicValue(() => ({ stage, middleware: create(site) }));
      }
    }
    for (const component of hookComponents(plugins, site))
      container.bind<Component>(Tokens.PluginComponents).toConstantValue(component);
  };
}

/**
 * Every plugin's `init`, then every plugin's `start`, each in dependency order; the lifecycle stops
 * what started in reverse, so dependents stop before what they depend on. A hook that throws stops
 * start-up with the plugin's name (ComponentFailedToStart), after stopping what had started.
 */
function hookComponents(plugins: readonly PluginManifest[], site: BindingSite): Component[] {
  const nothing = async () => {};
  return [
    ...plugins.flatMap(({ name, init }) =>
      init === undefined
        ? []
        : [{ name: `plugin ${name} (init)`, start: async () => init(site), stop: nothing }],
    ),
    ...plugins.map(({ name, start, stop }) => ({
      name: `plugin ${name}`,
      start: async () => start?.(site),
      stop: async () => stop?.(site),
    })),
  ];
}
