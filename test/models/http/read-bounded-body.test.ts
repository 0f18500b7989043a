import { describe, expect, it } from "vitest";
import { ApiError } from "../../../models/contracts/index.ts";
import { readBoundedBody } from "../../../models/http/read-bounded-body.ts";

const post = (body: ReadableStream<Uint8Array> | string | null, headers: Record<string, string> = {}) =>
  new Request("http://test/", { method: "POST", body, headers, ...(body ? { duplex: "half" } : {}) });

function streamOf(chunks: Uint8Array[], end: "close" | "hang" | "fail"): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(chunk);
      }
      if (end === "close") {
        controller.close();
      } else if (end === "fail") {
        controller.error(new Error("connection reset"));
      }
    },
  });
}

describe("readBoundedBody", () => {
  it("returns a streamed body's bytes in order, and an empty body as no bytes", async () => {
    const body = streamOf([Uint8Array.of(1, 2), Uint8Array.of(3)], "close");
    expect(await readBoundedBody(post(body), { maxBytes: 3 })).toEqual(Uint8Array.of(1, 2, 3));
    expect(await readBoundedBody(post(null), { maxBytes: 0 })).toEqual(new Uint8Array(0));
  });

  it("refuses a body over the limit as 413 body_too_large, declared or streamed", async () => {
    const declared = readBoundedBody(post("abcd", { "content-length": "4" }), { maxBytes: 3 });
    await expect(declared).rejects.toMatchObject({ status: 413, code: "body_too_large" });
    const streamed = readBoundedBody(post(streamOf([new Uint8Array(2), new Uint8Array(2)], "hang")), {
      maxBytes: 3,
    });
    await expect(streamed).rejects.toBeInstanceOf(ApiError);
    await expect(streamed).rejects.toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("cuts off a body that never finishes as 408 body_timeout", async () => {
    const read = readBoundedBody(post(streamOf([Uint8Array.of(1)], "hang")), { maxBytes: 10, timeoutMs: 20 });
    await expect(read).rejects.toMatchObject({ status: 408, code: "body_timeout" });
  });

  it("answers a body broken mid-stream as 400 bad_body, naming why", async () => {
    const read = readBoundedBody(post(streamOf([Uint8Array.of(1)], "fail")), { maxBytes: 10 });
    await expect(read).rejects.toMatchObject({
      status: 400,
      code: "bad_body",
      message: expect.stringContaining("connection reset"),
    });
  });
});
