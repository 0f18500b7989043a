import type { EdgeClient } from "./edge-client.ts";
import { EdgewiseError } from "./http.ts";
import type { ClientEventInput } from "./types.ts";

/** An event as track() takes it: event_id and ts are filled in when absent. */
export type TrackedEvent = Omit<ClientEventInput, "event_id" | "ts"> & {
  event_id?: string;
  ts?: number | string;
};

export interface EventBatcherOptions {
  client: EdgeClient;
  /** Flush once this many events wait. Default 20; at most the edge's 500 per request. */
  maxBatchSize?: number;
  /** Flush this long after the first event of a batch was queued. Default 5 s. */
  flushIntervalMs?: number;
  /**
   * How to send what is left when the page hides. `beacon` (the default when the client sends no API key)
   * uses navigator.sendBeacon, which cannot carry an Authorization header; otherwise, or when the browser
   * refuses the beacon, fetch with keepalive, which outlives the page and can carry the key.
   */
  onHide?: "beacon" | "keepalive";
  /** Events kept while the edge cannot be reached; the oldest beyond it are dropped. Default 1000. */
  maxQueued?: number;
  /** Called with each batch that could not be delivered (after the client's retries) and why. */
  onError?: (error: unknown, events: readonly ClientEventInput[]) => void;
}

export interface EventBatcher {
  /** Queues an event; returns it as it will be sent (with its event_id). */
  track(event: TrackedEvent): ClientEventInput;
  /** Sends every queued event now; resolves when the edge answered (or the batch failed). */
  flush(): Promise<void>;
  /** Sends what is queued in a way that survives the page unloading (beacon or keepalive fetch). */
  flushOnHide(): void;
  /** Listens for visibilitychange → hidden and pagehide on this page, and flushes on either. */
  listen(): () => void;
  readonly pending: number;
}

/**
 * The page APIs the batcher uses, declared here rather than taken from the DOM library: the client also
 * compiles (and runs) where there is no page, in Node and Workers, and checks for each before use.
 */
interface PageGlobals {
  document?: {
    visibilityState: string;
    addEventListener(type: "visibilitychange", listener: () => void): void;
    removeEventListener(type: "visibilitychange", listener: () => void): void;
  };
  navigator?: { sendBeacon?(url: string, data: Blob): boolean };
  addEventListener?(type: "pagehide", listener: () => void): void;
  removeEventListener?(type: "pagehide", listener: () => void): void;
}

const page = globalThis as PageGlobals;

/** Keepalive requests share a 64 KiB budget per page; stay well under it per request. */
const hideChunkBytes = 48 * 1024;

export function createEventBatcher(options: EventBatcherOptions): EventBatcher {
  const { client } = options;
  const maxBatchSize = Math.min(options.maxBatchSize ?? 20, 500);
  const flushIntervalMs = options.flushIntervalMs ?? 5000;
  const maxQueued = options.maxQueued ?? 1000;
  const onHide = options.onHide ?? (client.headers.authorization ? "keepalive" : "beacon");
  const onError = options.onError ?? ((error: unknown) => console.warn("edgewise: events not sent:", error));
  let queue: ClientEventInput[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const take = (): ClientEventInput[] => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = queue;
    queue = [];
    return batch;
  };

  const send = async (batch: ClientEventInput[]): Promise<void> => {
    try {
      // keepalive: a batch still in flight when the page unloads is delivered all the same (it is no longer
      // queued, so the hide flush will not send it again). Browsers refuse keepalive bodies over 64 KiB.
      const keepalive = JSON.stringify(batch).length <= hideChunkBytes;
      await client.sendEvents(batch, { keepalive });
    } catch (error) {
      // A 4xx other than 429 would be refused again; anything else (retries exhausted) is queued again,
      // which is safe as the origin stores each event_id once.
      if (error instanceof EdgewiseError && error.status < 500 && error.status !== 429) {
        onError(error, batch);
      } else {
        queue = [...batch, ...queue];
        onError(error, batch);
        if (queue.length > maxQueued) {
          // The edge has been unreachable for a while: keep the newest events rather than all memory.
          const dropped = queue.splice(0, queue.length - maxQueued);
          onError(new Error(`${dropped.length} events dropped: more than ${maxQueued} waited`), dropped);
        }
        schedule();
      }
    }
  };

  const schedule = () => {
    if (timer === undefined && queue.length > 0) {
      timer = setTimeout(() => void flush(), flushIntervalMs);
    }
  };

  const flush = async (): Promise<void> => {
    const batch = take();
    for (let from = 0; from < batch.length; from += maxBatchSize) {
      await send(batch.slice(from, from + maxBatchSize));
    }
  };

  const flushOnHide = () => {
    const batch = take();
    const url = new URL("/events", client.edgeUrl).href;
    for (const chunk of chunksUnder(batch, hideChunkBytes)) {
      // text/plain is CORS-safelisted: a beacon with it needs no preflight, and the edge reads the body as
      // JSON whatever its type.
      const sendBeacon = page.navigator?.sendBeacon;
      const sentAsBeacon =
        onHide === "beacon" &&
        typeof sendBeacon === "function" &&
        sendBeacon.call(page.navigator, url, new Blob([chunk], { type: "text/plain;charset=UTF-8" }));
      if (!sentAsBeacon) {
        fetch(url, {
          method: "POST",
          keepalive: true,
          headers: { "content-type": "application/json", ...client.headers },
          body: chunk,
        }).catch((error: unknown) => onError(error, JSON.parse(chunk) as ClientEventInput[]));
      }
    }
  };

  return {
    track(event) {
      const full = {
        ...event,
        event_id: event.event_id ?? crypto.randomUUID(),
        ts: event.ts ?? Date.now(),
      } as ClientEventInput;
      queue.push(full);
      if (queue.length >= maxBatchSize) {
        void flush();
      } else {
        schedule();
      }
      return full;
    },
    flush,
    flushOnHide,
    listen() {
      const { document } = page;
      if (document === undefined || page.addEventListener === undefined) {
        return () => {};
      }
      const onVisibility = () => {
        if (document.visibilityState === "hidden") {
          flushOnHide();
        }
      };
      document.addEventListener("visibilitychange", onVisibility);
      page.addEventListener("pagehide", flushOnHide);
      return () => {
        document.removeEventListener("visibilitychange", onVisibility);
        page.removeEventListener?.("pagehide", flushOnHide);
      };
    },
    get pending() {
      return queue.length;
    },
  };
}

/** The events as JSON arrays, each under maxBytes (an event larger than that alone goes alone). */
function chunksUnder(events: readonly ClientEventInput[], maxBytes: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    if (current.length > 0 && (size + json.length + 1 > maxBytes || current.length >= 500)) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) {
    chunks.push(`[${current.join(",")}]`);
  }
  return chunks;
}
