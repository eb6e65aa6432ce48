import { access, constants } from "node:fs/promises";
import { type Browser, chromium } from "playwright-core";
import { decide, type ServiceDecision } from "./services.js";

/** Debian's `chromium` package (.ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether a headless Chromium can be driven: skipped locally without it, required under CI=true. */
export function decideChromium(): Promise<ServiceDecision> {
  return decide("chromium", () => access(CHROMIUM, constants.X_OK));
}

/**
 * Headless Chromium with its own background traffic (updates, safe browsing, metrics) turned off,
 * so every request a test sees is one its page made.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-domain-reliability",
      "--disable-sync",
      "--no-first-run",
      "--no-default-browser-check",
    ],
  });
}
