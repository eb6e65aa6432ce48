import { pluginNames } from "../codecs.js";
import { setting } from "../define-config.js";

// Plugins: which are enabled. Their own keys exist only while they are (see plugins/enabled-plugins.ts).

export const pluginsSettings = {
  enabled: setting(pluginNames, {
    default: { development: "audit-log", test: "", production: "" },
    live: false,
    description:
      "Plugins to run, each a folder under plugins/ or an installed package; they start in dependency order and bring their own keys.",
  }),
};
