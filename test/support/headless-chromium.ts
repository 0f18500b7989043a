import { type Browser, chromium } from "playwright-core";

/** The machine's Debian chromium, which playwright-core drives (no browser download). */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Chromium without a window or a sandbox (the tests run as root in a container), and without the GPU,
 * background networking, component updates and first-run screens a test has no use for.
 */
export function launchHeadlessChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
