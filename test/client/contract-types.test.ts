/**
 * The client's types against the contracts they mirror, checked by the compiler (npm run typecheck)
 * and by vitest's type assertions: a change to a shared schema that the client's types do not follow
 * fails here.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type {
  ClientEventInput,
  IngestBatchResponse,
  RankRequestInput,
  RankResult,
  RewardRequestInput,
} from "../../client/src/index.ts";
import type {
  IngestRecordInput,
  RankRequest,
  RankResponse,
  RewardRequest,
} from "../../models/contracts/index.ts";
import type { BatchResultBody } from "../../origin/ingest/http/schemas.ts";

describe("the client's types", () => {
  it("are the origin's ingestion answer exactly", () => {
    expectTypeOf<IngestBatchResponse>().toEqualTypeOf<z.infer<typeof BatchResultBody>>();
  });

  it("take request bodies from the shared contracts' inputs", () => {
    expectTypeOf<RankRequestInput>().toEqualTypeOf<z.input<typeof RankRequest>>();
    expectTypeOf<RewardRequestInput>().toEqualTypeOf<z.input<typeof RewardRequest>>();
    expectTypeOf<ClientEventInput & { source: string }>().toExtend<IngestRecordInput>();
  });

  it("keep each event type's own fields (a click names its item, a view need not)", () => {
    const view: ClientEventInput = { type: "view", user_id: "u", event_id: "e", ts: 1 };
    // @ts-expect-error a click without item_id is refused by the contract, and so by the type
    const click: ClientEventInput = { type: "click", user_id: "u", event_id: "e", ts: 1 };
    // Compile-time only: npm run typecheck fails if the @ts-expect-error above stops being an error.
    void [view, click];
  });

  it("extend the shared RankResponse for POST /rank's answer", () => {
    expectTypeOf<RankResult>().toExtend<z.infer<typeof RankResponse>>();
  });
});
