/**
 * The site snippet: one ESM script on the client. It tracks a page view, a view of each element marked
 * `data-edgewise-item` once it is on screen, and a click on any of them (each event with a fresh
 * event_id); fills every `<div data-edgewise-recommendations data-surface="home">` with the user's
 * recommendations; and rewards the edge's decision when a recommended item is clicked.
 *
 * Loaded as `<script type="module" src="edgewise-snippet.js" data-edgewise-edge="https://edge…"
 * data-edgewise-user="u-1" data-edgewise-key="…">` (and optionally data-edgewise-flush-ms, the batcher's
 * interval), it starts itself; or import startEdgewise.
 */
import { createEdgeClient, createEventBatcher, type EdgeClient, type EventBatcher } from "../src/index.ts";
import { renderRecommendations } from "./render-recommendations.ts";

export interface SnippetOptions {
  edgeUrl: string;
  /** The edge API key; leave out for an edge with REQUIRE_API_KEY=false (events then go by sendBeacon). */
  apiKey?: string;
  /** The signed-in user; an anonymous id kept in localStorage when absent. */
  userId?: string;
  root?: Document;
  flushIntervalMs?: number;
}

export interface EdgewiseSnippet {
  client: EdgeClient;
  batcher: EventBatcher;
  userId: string;
  /** Resolves when every recommendations block on the page is rendered (or has failed). */
  ready: Promise<void>;
  stop(): void;
}

export function startEdgewise(options: SnippetOptions): EdgewiseSnippet {
  const root = options.root ?? document;
  const userId = options.userId ?? anonymousUserId();
  const client = createEdgeClient({
    edgeUrl: options.edgeUrl,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  const batcher = createEventBatcher({
    client,
    ...(options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs }),
  });
  const stopListening = batcher.listen();
  const page = location.pathname.slice(0, 256);
  batcher.track({ type: "view", user_id: userId, context: { surface: "page", page } });

  const seen = new WeakSet<Element>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const itemId = entry.isIntersecting ? entry.target.getAttribute("data-edgewise-item") : null;
        if (itemId && !seen.has(entry.target)) {
          seen.add(entry.target);
          observer.unobserve(entry.target);
          batcher.track({
            type: "view",
            user_id: userId,
            item_id: itemId,
            context: contextOf(entry.target, page),
          });
        }
      }
    },
    { threshold: 0.5 },
  );
  const observeItems = (scope: ParentNode) => {
    for (const element of scope.querySelectorAll("[data-edgewise-item]")) {
      observer.observe(element);
    }
  };
  observeItems(root);

  const onClick = (event: Event) => {
    const element = (event.target as Element | null)?.closest?.("[data-edgewise-item]");
    const itemId = element?.getAttribute("data-edgewise-item");
    if (!element || !itemId) {
      return;
    }
    const click = batcher.track({
      type: "click",
      user_id: userId,
      item_id: itemId,
      context: contextOf(element, page),
    });
    const decisionId = element.getAttribute("data-edgewise-decision");
    const slotText = element.getAttribute("data-edgewise-slot");
    const slot = slotText === null ? Number.NaN : Number(slotText);
    if (decisionId && Number.isInteger(slot)) {
      // The click's event_id keys the reward too: a retried reward is stored once. keepalive, as the click
      // may follow a link off the page.
      client
        .reward(
          { decision_id: decisionId, event_id: click.event_id, slot_rewards: [{ slot, reward: 1 }] },
          { keepalive: true },
        )
        .catch((error: unknown) => console.warn("edgewise: reward not sent:", error));
    }
  };
  root.addEventListener("click", onClick);

  const blocks = [...root.querySelectorAll<HTMLElement>("[data-edgewise-recommendations]")];
  const ready = Promise.all(
    blocks.map(async (block) => {
      try {
        const k = Number(block.dataset.k);
        const answer = await client.recommendations({
          user_id: userId,
          surface: block.dataset.surface ?? "home",
          ...(Number.isInteger(k) && k > 0 ? { k } : {}),
        });
        renderRecommendations(block, answer);
        observeItems(block);
        block.dataset.edgewiseState = "ready";
      } catch (error) {
        block.dataset.edgewiseState = "failed";
        console.warn("edgewise: recommendations not shown:", error);
      }
    }),
  ).then(() => {});

  return {
    client,
    batcher,
    userId,
    ready,
    stop() {
      stopListening();
      observer.disconnect();
      root.removeEventListener("click", onClick);
    },
  };
}

/** The surface and decision an element belongs to, as event context. */
function contextOf(element: Element, page: string): Record<string, string> {
  const block = element.closest<HTMLElement>("[data-edgewise-recommendations]");
  const decision = element.getAttribute("data-edgewise-decision");
  return {
    surface: block?.dataset.surface ?? "page",
    page,
    ...(decision ? { decision_id: decision } : {}),
  };
}

function anonymousUserId(): string {
  const key = "edgewise_user_id";
  try {
    const saved = localStorage.getItem(key);
    if (saved) {
      return saved;
    }
    const id = `anon-${crypto.randomUUID()}`;
    localStorage.setItem(key, id);
    return id;
  } catch {
    // Storage blocked (private mode, sandboxed frame): an id for this page only.
    return `anon-${crypto.randomUUID()}`;
  }
}

function autoStart(): void {
  if (typeof document === "undefined") {
    return;
  }
  const script = document.querySelector<HTMLScriptElement>("script[data-edgewise-edge]");
  const edgeUrl = script?.dataset.edgewiseEdge;
  if (!script || !edgeUrl) {
    return;
  }
  const { edgewiseKey: apiKey, edgewiseUser: userId, edgewiseFlushMs } = script.dataset;
  const flushIntervalMs = Number(edgewiseFlushMs);
  const snippet = startEdgewise({
    edgeUrl,
    ...(apiKey ? { apiKey } : {}),
    ...(userId ? { userId } : {}),
    ...(flushIntervalMs > 0 ? { flushIntervalMs } : {}),
  });
  // For the page's own code (and tests): window.edgewise.ready, .batcher.flush(), …
  (globalThis as { edgewise?: EdgewiseSnippet }).edgewise = snippet;
}

autoStart();
