import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOriginConfig } from "../../../../../origin/config.ts";
import {
  DEFAULT_IMAGE_FETCH_POLICY,
  fetchImage,
  ImageFetchError,
  type ImageFetchPolicy,
  imageFetchPolicy,
  isPrivateAddress,
} from "../../../../../origin/train/enrichment/images/index.ts";
import { rejectionOf } from "../../../../support/rejection.ts";

const PNG_MAGIC = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ImageFetchError);

describe("private address ranges", () => {
  it.each([
    "127.0.0.1",
    "127.255.0.9",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::192.168.0.1",
    "2002:c0a8:0101::1",
    "not-an-address",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "192.169.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:0808:0808::1",
  ])("lets public %s through", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("fetching over HTTP from a real local server", () => {
  let server: Server;
  let port: number;
  const hold: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      switch (req.url) {
        case "/image.png":
          res.writeHead(200, { "content-type": "image/png", "content-length": PNG_MAGIC.length });
          res.end(PNG_MAGIC);
          return;
        case "/redirect":
          res.writeHead(302, { location: "/image.png" });
          res.end();
          return;
        case "/declared-huge":
          res.writeHead(200, { "content-type": "image/png", "content-length": 50_000_000 });
          res.write(PNG_MAGIC);
          hold.push(res);
          return;
        case "/undeclared-huge": {
          // chunked, no Content-Length: the limit has to hold while the body arrives
          res.writeHead(200, { "content-type": "image/jpeg" });
          const chunk = new Uint8Array(64 * 1024);
          for (let i = 0; i < 40; i++) {
            res.write(chunk);
          }
          hold.push(res);
          return;
        }
        case "/slow":
          // headers, a few bytes, then nothing: the fetch must give up on its own
          res.writeHead(200, { "content-type": "image/png" });
          res.write(PNG_MAGIC.subarray(0, 3));
          hold.push(res);
          return;
        case "/html":
          res.writeHead(200, { "content-type": "text/html" });
          res.end("<html></html>");
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const res of hold) {
      res.destroy();
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const loopbackAllowed: ImageFetchPolicy = {
    ...DEFAULT_IMAGE_FETCH_POLICY,
    allowPrivateNetworks: true,
    maxBytes: 1024 * 1024,
    timeoutMs: 1500,
  };

  it("refuses loopback by default, by IP, by IPv4-mapped IPv6 and by a name that resolves to it", async () => {
    for (const url of [
      `http://127.0.0.1:${port}/image.png`,
      `http://[::ffff:127.0.0.1]:${port}/image.png`,
      `http://[::1]:${port}/image.png`,
      `http://localhost:${port}/image.png`,
    ]) {
      const error = await failure(fetchImage(url));
      expect(error.reason, url).toBe("private-address");
    }
  });

  it("fetches an image when the policy allows loopback, and follows a redirect", async () => {
    const direct = await fetchImage(`http://127.0.0.1:${port}/image.png`, loopbackAllowed);
    expect(direct.contentType).toBe("image/png");
    expect(Array.from(direct.bytes)).toEqual(Array.from(PNG_MAGIC));
    const redirected = await fetchImage(`http://localhost:${port}/redirect`, loopbackAllowed);
    expect(Array.from(redirected.bytes)).toEqual(Array.from(PNG_MAGIC));
  });

  it("refuses a body whose Content-Length is over the limit without reading it", async () => {
    const error = await failure(fetchImage(`http://127.0.0.1:${port}/declared-huge`, loopbackAllowed));
    expect(error.reason).toBe("too-large");
  });

  it("stops reading a body without Content-Length once it passes the limit", async () => {
    const error = await failure(
      fetchImage(`http://127.0.0.1:${port}/undeclared-huge`, { ...loopbackAllowed, maxBytes: 200_000 }),
    );
    expect(error.reason).toBe("too-large");
  });

  it("gives up on a response that stops arriving", async () => {
    const error = await failure(
      fetchImage(`http://127.0.0.1:${port}/slow`, { ...loopbackAllowed, timeoutMs: 300 }),
    );
    expect(error.reason).toBe("timeout");
  });

  it("refuses a response that is not an image type, and an error status", async () => {
    expect((await failure(fetchImage(`http://127.0.0.1:${port}/html`, loopbackAllowed))).reason).toBe(
      "content-type",
    );
    expect((await failure(fetchImage(`http://127.0.0.1:${port}/missing`, loopbackAllowed))).reason).toBe(
      "http-status",
    );
  });
});

describe("data: and file: URLs", () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "images-root-"));
    outside = await mkdtemp(join(tmpdir(), "images-outside-"));
    await writeFile(join(root, "a.png"), PNG_MAGIC);
    await writeFile(join(root, "notes.txt"), "hello");
    await writeFile(join(outside, "secret.png"), PNG_MAGIC);
    await symlink(join(outside, "secret.png"), join(root, "escape.png"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("decodes a base64 data: image and refuses a non-image or oversize one", async () => {
    const url = `data:image/png;base64,${Buffer.from(PNG_MAGIC).toString("base64")}`;
    expect(Array.from((await fetchImage(url)).bytes)).toEqual(Array.from(PNG_MAGIC));
    expect((await failure(fetchImage("data:text/html;base64,PGh0bWw+"))).reason).toBe("content-type");
    expect((await failure(fetchImage("data:image/png,%E0%A4%A"))).reason).toBe("bad-url");
    expect((await failure(fetchImage(url, { ...DEFAULT_IMAGE_FETCH_POLICY, maxBytes: 4 }))).reason).toBe(
      "too-large",
    );
  });

  it("reads a file under the configured folder and refuses files outside it, symlinks included", async () => {
    const policy = { ...DEFAULT_IMAGE_FETCH_POLICY, fileRoot: root };
    const inside = await fetchImage(pathToFileURL(join(root, "a.png")).href, policy);
    expect(inside.contentType).toBe("image/png");
    for (const path of [join(outside, "secret.png"), join(root, "escape.png")]) {
      expect((await failure(fetchImage(pathToFileURL(path).href, policy))).reason).toBe("file-outside-root");
    }
    expect((await failure(fetchImage(pathToFileURL(join(root, "notes.txt")).href, policy))).reason).toBe(
      "content-type",
    );
  });

  it("refuses every file: URL when no folder is configured, and other schemes", async () => {
    expect((await failure(fetchImage(pathToFileURL(join(root, "a.png")).href))).reason).toBe(
      "file-outside-root",
    );
    expect((await failure(fetchImage("ftp://example.com/a.png"))).reason).toBe("scheme");
    expect((await failure(fetchImage("not a url"))).reason).toBe("bad-url");
  });
});

describe("image fetch configuration", () => {
  it("refuses private networks and file: URLs by default and reads the IMAGE_FETCH_* variables", () => {
    const defaults = imageFetchPolicy(loadOriginConfig({}));
    expect(defaults.allowPrivateNetworks).toBe(false);
    expect(defaults.fileRoot).toBeUndefined();
    const set = imageFetchPolicy(
      loadOriginConfig({
        IMAGE_FETCH_ALLOW_PRIVATE: "true",
        IMAGE_FETCH_MAX_BYTES: "1000",
        IMAGE_FETCH_TIMEOUT_SECONDS: "2.5",
        IMAGE_FILE_ROOT: "/srv/images",
      }),
    );
    expect(set).toMatchObject({
      allowPrivateNetworks: true,
      maxBytes: 1000,
      timeoutMs: 2500,
      fileRoot: "/srv/images",
    });
    expect(() => loadOriginConfig({ IMAGE_FETCH_ALLOW_PRIVATE: "maybe" })).toThrow(
      /IMAGE_FETCH_ALLOW_PRIVATE/,
    );
  });
});
