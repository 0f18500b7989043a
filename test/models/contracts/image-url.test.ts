import { describe, expect, it } from "vitest";
import {
  describeIssues,
  EVENT_LIMITS,
  IMAGE_URL_LIMITS,
  IngestRecord,
  imageUrlProblem,
  recordSchemas,
} from "../../../models/contracts/index.ts";

const item = { event_id: "e", type: "item", item_id: "i", ts: 1_700_000_000_000, source: "pos" };
const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString("base64");
const withRoot = recordSchemas(undefined, { fileRoot: "/srv/images" }).IngestRecord;

function refusal(schema: typeof IngestRecord, image_url: string): string {
  const result = schema.safeParse({ ...item, image_url });
  if (result.success) {
    throw new Error(`expected ${image_url.slice(0, 60)} to be refused`);
  }
  return describeIssues(result.error);
}

describe("item image_url at ingestion", () => {
  it("accepts http(s) URLs and data: images of the raster types the fetcher decodes", () => {
    for (const url of [
      "https://cdn.example.com/p/1.jpg",
      "http://images.shop.example/a.png?v=2",
      `data:image/png;base64,${PNG_BASE64}`,
      "data:image/webp;base64,UklGRg==",
      "data:image/gif,GIF89a%01%00",
    ]) {
      expect(IngestRecord.parse({ ...item, image_url: url })).toMatchObject({ image_url: url });
    }
  });

  it("refuses data: URLs that are not a decodable raster image, or too long", () => {
    expect(refusal(IngestRecord, "data:image/svg+xml;base64,PHN2Zz4=")).toMatch(/image\/png/);
    expect(refusal(IngestRecord, "data:text/html,<b>hi</b>")).toMatch(
      /image_url: a data: image_url must carry/,
    );
    expect(refusal(IngestRecord, "data:image/png;base64")).toMatch(/comma/);
    expect(refusal(IngestRecord, "data:image/png;base64,@@@@")).toMatch(/base64/);
    expect(refusal(IngestRecord, "data:image/png,%E0%A4%A")).toMatch(/percent/);
    const huge = `data:image/png;base64,${"A".repeat(IMAGE_URL_LIMITS.dataUrlChars)}`;
    expect(refusal(IngestRecord, huge)).toMatch(/image_url/);
    expect(EVENT_LIMITS.imageDataUrlChars).toBe(IMAGE_URL_LIMITS.dataUrlChars);
  });

  it("refuses file: URLs unless the origin names an image folder, and then only inside it", () => {
    expect(refusal(IngestRecord, "file:///srv/images/a.png")).toMatch(/IMAGE_FILE_ROOT/);
    expect(withRoot.parse({ ...item, image_url: "file:///srv/images/shoes/a.png" }).type).toBe("item");
    expect(withRoot.parse({ ...item, image_url: "file://localhost/srv/images/b.JPG" }).type).toBe("item");
    for (const outside of [
      "file:///srv/images-old/a.png",
      "file:///srv/images/../secrets/a.png",
      "file:///srv/images/%2e%2e/secrets/a.png",
      "file:///etc/passwd.png",
    ]) {
      expect(refusal(withRoot, outside)).toMatch(/inside the image folder \/srv\/images/);
    }
    expect(refusal(withRoot, "file:///srv/images/a%2Fb.png")).toMatch(/encode/);
    expect(refusal(withRoot, "file://fileserver/srv/images/a.png")).toMatch(/local path/);
    expect(refusal(withRoot, "file:///srv/images/notes.txt")).toMatch(/\.png/);
  });

  it("refuses other schemes and non-URLs with the field named", () => {
    expect(refusal(IngestRecord, "javascript:alert(1)")).toMatch(/^image_url: .*javascript:/);
    expect(refusal(IngestRecord, "ftp://example.com/a.png")).toMatch(/image_url/);
    expect(refusal(IngestRecord, "not a url")).toMatch(/image_url is not a URL/);
    expect(imageUrlProblem(`https://example.com/${"a".repeat(IMAGE_URL_LIMITS.urlChars)}`)).toMatch(
      /longer than/,
    );
  });
});
