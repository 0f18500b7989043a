import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoad } from "../../bench/lib/http-load.ts";

let server: http.Server;
let url: URL;

beforeAll(async () => {
  // /ok answers 200, /missing 404, /drop closes the connection without an answer.
  server = http.createServer((request, response) => {
    if (request.url === "/drop") {
      request.socket.destroy();
      return;
    }
    response.writeHead(request.url === "/ok" ? 200 : 404, { "server-timing": "work;dur=1.5" });
    response.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("runLoad", () => {
  it("counts dropped connections and non-200 answers as failures and sends every request", async () => {
    const result = await runLoad({
      url,
      paths: ["/ok", "/drop", "/missing", "/ok"],
      concurrency: 3,
      requests: 40,
    });
    expect(result.failures).toBe(20);
    expect(result.networkErrors).toBe(10);
    expect(result.firstNetworkError).toMatch(/socket hang up|ECONNRESET/);
    expect(result.latenciesMs.length).toBe(40);
    expect(result.serverTimingMs.get("work")).toHaveLength(30);
  });

  it("reports no failures when every request is answered 200", async () => {
    const result = await runLoad({ url, paths: ["/ok"], concurrency: 2, requests: 10 });
    expect(result).toMatchObject({ failures: 0, networkErrors: 0, firstNetworkError: null });
  });
});
