/**
 * A Worker that uses @edgewise/client (bundled from client/src with the package's esbuild options) to call
 * the edge: the proof that the client runs in workerd as it is, with no Node API. GET / answers the
 * recommendations for ?user_id= and the edge's answer to a view event with ?event_id=.
 */
import { createEdgeClient } from "../../../client/src/index.ts";

interface Env {
  EDGE_URL: string;
  EDGE_API_KEY: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const client = createEdgeClient({ edgeUrl: env.EDGE_URL, apiKey: env.EDGE_API_KEY });
    const userId = url.searchParams.get("user_id") ?? "";
    const recommendations = await client.recommendations({ user_id: userId, k: 3 });
    const events = await client.sendEvents([
      { event_id: url.searchParams.get("event_id") ?? "", type: "view", user_id: userId, ts: Date.now() },
    ]);
    return Response.json({ recommendations, events, userAgent: navigator.userAgent });
  },
};
