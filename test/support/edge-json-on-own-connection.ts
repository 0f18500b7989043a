/**
 * A request to the edge on a connection of its own, closed after the answer, for a body the Worker
 * refuses without reading it all (413). workerd then closes that connection:
 * - a pooled `fetch` sometimes sends the next request down it before the close arrives, and that request
 *   fails with "other side closed" (measured here: 2 in 300 pairs on a quiet machine, 70 in 500 at load
 *   10; 0 in 500 with this helper). Nothing else shares this connection.
 * - a client still writing the body can meet EPIPE or ECONNRESET although the answer is on its way, so
 *   such a write error only fails the request if no answer arrives within `answerGraceMs`.
 * `body` is sent with a Content-Length when it is a string, chunked when it is a list of chunks.
 */
import { request } from "node:http";
import type { TestEdge } from "./local-edge.ts";

const answerGraceMs = 2_000;

export function edgeJsonOnOwnConnection(
  edge: TestEdge,
  pathAndQuery: string,
  init: { method: string; headers?: Record<string, string>; body: string | readonly Uint8Array[] },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const chunks = typeof init.body === "string" ? [Buffer.from(init.body)] : init.body;
  const headers: Record<string, string> = { authorization: `Bearer ${edge.apiKey}`, ...init.headers };
  if (typeof init.body === "string") {
    headers["content-length"] = String(chunks[0]!.byteLength);
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      new URL(pathAndQuery, edge.url),
      { method: init.method, headers, agent: false },
      (response) => {
        answered = true;
        const received: Buffer[] = [];
        response.on("data", (chunk: Buffer) => received.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          try {
            const parsed = JSON.parse(Buffer.concat(received).toString("utf8")) as Record<string, unknown>;
            resolve({ status: response.statusCode ?? 0, body: parsed });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      const closedWhileWriting = error.code === "EPIPE" || error.code === "ECONNRESET";
      if (!closedWhileWriting) {
        reject(error);
        return;
      }
      setTimeout(() => {
        if (!answered) {
          reject(error);
        }
      }, answerGraceMs);
    });
    for (const chunk of chunks) {
      outgoing.write(chunk);
    }
    outgoing.end();
  });
}
