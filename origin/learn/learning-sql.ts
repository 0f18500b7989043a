/**
 * The learning store's write statements and the batch bookkeeping around them. Batches travel as arrays
 * into unnest(), one statement per batch whatever its size; every array is text[] cast in SQL, which
 * every driver (node-postgres, PGlite, Neon) serialises alike, nulls included.
 */
export interface StoredBatch {
  /** Records written by this call. */
  storedCount: number;
  /** Positions (ascending) of records already stored, or repeated in the batch: retries, kept once. */
  duplicateIndexes: number[];
}

/** Keeps, per key, the record with the earliest ts (the join's rule for retries); the rest are duplicates. */
export function earliestPerKey<T extends { ts: number }>(
  records: readonly T[],
  key: (record: T) => string,
): { kept: Map<string, number>; duplicates: Set<number> } {
  const kept = new Map<string, number>();
  const duplicates = new Set<number>();
  records.forEach((record, index) => {
    const k = key(record);
    const at = kept.get(k);
    if (at === undefined) {
      kept.set(k, index);
    } else if (record.ts < records[at]!.ts) {
      duplicates.add(at);
      kept.set(k, index);
    } else {
      duplicates.add(index);
    }
  });
  return { kept, duplicates };
}

export function batchResult(total: number, inBatch: Set<number>, stored: Set<number>): StoredBatch {
  const duplicateIndexes: number[] = [];
  for (let i = 0; i < total; i++) {
    if (inBatch.has(i) || !stored.has(i)) {
      duplicateIndexes.push(i);
    }
  }
  return { storedCount: stored.size, duplicateIndexes };
}

// A retry with an earlier ts replaces the stored copy while the join has not used it (the join keeps the
// earliest copy too, so the outcome does not depend on which copy arrived first). `xmax = 0` tells an
// inserted row from an updated one.
export const INSERT_DECISIONS = `
INSERT INTO learning_decisions
  (decision_id, ts, surface, policy_id, policy_version, experiment_id, experiment_arm, record, holdout)
SELECT v.decision_id, to_timestamp(v.ts_ms::float8 / 1000), v.surface, v.policy_id, v.policy_version,
       v.experiment_id, v.experiment_arm, v.record::jsonb, v.holdout::boolean
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
  AS v(decision_id, ts_ms, surface, policy_id, policy_version, experiment_id, experiment_arm, record, holdout)
ON CONFLICT (decision_id) DO UPDATE
  SET ts = excluded.ts, surface = excluded.surface, policy_id = excluded.policy_id,
      policy_version = excluded.policy_version, experiment_id = excluded.experiment_id,
      experiment_arm = excluded.experiment_arm, record = excluded.record
  WHERE excluded.ts < learning_decisions.ts AND learning_decisions.closed_at IS NULL
RETURNING decision_id, (xmax = 0) AS inserted`;

export const INSERT_REWARDS = `
INSERT INTO learning_rewards (decision_id, event_id, ts, record)
SELECT v.decision_id, v.event_id, to_timestamp(v.ts_ms::float8 / 1000), v.record::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(decision_id, event_id, ts_ms, record)
ON CONFLICT (decision_id, event_id) DO UPDATE
  SET ts = excluded.ts, record = excluded.record
  WHERE excluded.ts < learning_rewards.ts AND learning_rewards.consumed_at IS NULL
RETURNING decision_id, event_id, (xmax = 0) AS inserted`;

export const CLOSE_DECISIONS = `
UPDATE learning_decisions AS d
SET closed_at = to_timestamp($4::float8 / 1000), outcome = v.outcome, slot_rewards = v.slot_rewards::jsonb
FROM unnest($1::text[], $2::text[], $3::text[]) AS v(decision_id, outcome, slot_rewards)
WHERE d.decision_id = v.decision_id AND d.closed_at IS NULL
RETURNING d.decision_id`;

export const CONSUME_REWARDS = `
UPDATE learning_rewards AS r SET consumed_at = to_timestamp($3::float8 / 1000)
FROM unnest($1::text[], $2::text[]) AS v(decision_id, event_id)
WHERE r.decision_id = v.decision_id AND r.event_id = v.event_id AND r.consumed_at IS NULL`;

// Insert a new policy, or update one only if nobody changed it since this run read it.
export const UPSERT_POLICY = `
INSERT INTO learning_policies (policy_id, surface, config, state, train_state, version, published, updated_at)
VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7::jsonb, now())
ON CONFLICT (policy_id) DO UPDATE
  SET surface = excluded.surface, config = excluded.config, state = excluded.state,
      train_state = excluded.train_state, version = excluded.version, updated_at = now()
  WHERE learning_policies.version IS NOT DISTINCT FROM $8
RETURNING policy_id`;
