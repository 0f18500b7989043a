/**
 * Defaults the edge fills into an event from the request that carried it, for the fields of the
 * event contract a client may leave out of the request: `source` (required by the contract) and
 * `context.device`. A value the client sends always wins.
 */
export interface EventDefaults {
  /** "web" when a browser sent the request, otherwise "edge" (it came through the edge, from where unknown). */
  source: string;
  /** A device class (mobile, tablet, desktop, bot) read from a browser's headers; absent for other clients. */
  device?: string;
}

export function eventDefaults(headers: Headers): EventDefaults {
  const userAgent = headers.get("user-agent") ?? "";
  const browser = userAgent.startsWith("Mozilla/") || headers.has("origin") || headers.has("sec-fetch-mode");
  const device = deviceClass(userAgent, headers.get("sec-ch-ua-mobile"));
  return { source: browser ? "web" : "edge", ...(device === undefined ? {} : { device }) };
}

/**
 * A coarse device class, never the user agent itself: user agents are longer than the contract's
 * 64-character context values and identify people more than a class does. Only browser user agents
 * (which all start with "Mozilla/") are classified; an SDK's or a server's says nothing about a device.
 */
function deviceClass(userAgent: string, mobileHint: string | null): string | undefined {
  if (/bot|crawler|spider|headless/i.test(userAgent)) {
    return "bot";
  }
  if (mobileHint === "?1") {
    return "mobile";
  }
  if (!userAgent.startsWith("Mozilla/")) {
    return undefined;
  }
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(userAgent)) {
    return "tablet";
  }
  if (/Mobi|iPhone|iPod|Android/i.test(userAgent)) {
    return "mobile";
  }
  return "desktop";
}
