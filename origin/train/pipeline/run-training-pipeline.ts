/**
 * One training run, from the event store to a release: read the window's interactions (typed arrays),
 * train the recommender (iALS, or popularity when data is thin), the sentiment and behaviour models when
 * the data supports them, enrich the items (review sentiment, content vectors), then package the catalogue,
 * user features, models and registry candidates. Nothing here writes anywhere: gating and publishing are
 * the caller's (publish-trained-release.ts), so a run can be inspected before anything serves it.
 */
import { encodeCatalog } from "../../../models/catalog/index.ts";
import {
  DEFAULT_SURFACES,
  type Surfaces,
  sha256Hex,
  USER_FEATURE_LIMITS,
  type ValueRanges,
} from "../../../models/contracts/index.ts";
import type { EventStore } from "../../ingest/index.ts";
import {
  type BaselineScore,
  CATALOG_ARTIFACT,
  type CandidateModel,
  encodeUserFeaturesArtifact,
  NoTrainingDataError,
  PIPELINE_MODELS,
  type ReleaseModel,
  type TrainedRelease,
  USER_FEATURES_ARTIFACT,
} from "../../release/index.ts";
import type { ImageFeatureOptions } from "../enrichment/images/index.ts";
import {
  type ContentVectorOptions,
  describeContentVectors,
  enrichItems,
  type ItemEnrichment,
} from "../enrichment/index.ts";
import type { TextEncoder } from "../enrichment/text-encoder/index.ts";
import { describeCandidate } from "../recs/index.ts";
import { predictSentiment } from "../sentiment/index.ts";
import { buildCatalogInput, RECS_EMBEDDING_MODEL } from "./build-catalog.ts";
import { buildUserFeatures } from "./build-user-features.ts";
import { contentStep, itemContents } from "./content-step.ts";
import { interactionPairs, recentItemsPerUser } from "./interaction-matrix.ts";
import { readInteractions, readReviews } from "./read-interactions.ts";
import { newRunId } from "./run-id.ts";
import { catalogPositions } from "./seen-set.ts";
import { type BehaviourStepOptions, trainBehaviourStep } from "./train-behaviour-step.ts";
import { fittedRecommender, type RecommenderStep, type RecsStepOptions } from "./train-recommender.ts";
import { type SentimentStepOptions, trainSentimentStep } from "./train-sentiment-step.ts";
import { resolveTrainingWindow, type TrainingWindowOptions } from "./training-window.ts";

export type PipelineStep = "read" | "recs" | "content" | "sentiment" | "behaviour" | "enrich" | "package";
export const PIPELINE_STEPS: readonly PipelineStep[] = [
  "read",
  "recs",
  "content",
  "sentiment",
  "behaviour",
  "enrich",
  "package",
];

export interface PipelineProgress {
  step: PipelineStep;
  /** Events read so far, during "read". */
  eventsRead?: number;
}

export interface TrainingPipelineOptions {
  /** Default: a new id from `now`. */
  runId?: string;
  /** Which events train: by default the 365 days up to the newest stored interaction (training-window.ts). */
  window?: TrainingWindowOptions;
  /**
   * Recent item ids kept per user, which the edge leaves out of answers when it cannot use the user's
   * seen set (every item of the window, as catalogue indices). Default 200.
   */
  recentItems?: number;
  recs?: RecsStepOptions;
  /** Where the recommender comes from; default `fittedRecommender(recs)`, this machine's tuning and fit. */
  recommender?: RecommenderStep;
  sentiment?: SentimentStepOptions;
  behaviour?: BehaviourStepOptions;
  surfaces?: Surfaces;
  /** The rating scale and price ceiling stored rows are held to; default DEFAULT_VALUE_RANGES. */
  valueRanges?: ValueRanges;
  /** Image features for items with an `image_url` (origin/train/enrichment/images/); default: none. */
  images?: ImageFeatureOptions;
  /** An ONNX text encoder for items' text embeddings (origin/train/enrichment/text-encoder/); default: none. */
  textEncoder?: TextEncoder;
  /** The fused content vectors' settings (origin/train/enrichment/content-vectors/); defaults apply. */
  content?: Partial<ContentVectorOptions>;
  onProgress?: (progress: PipelineProgress) => void;
}

export const PIPELINE_DEFAULTS = { recentItems: 200 } as const;

/**
 * The naive baseline each classifier must beat, on its own test rows: the AFINN lexicon's AUC for
 * sentiment; for behaviour the base rate, a constant score whose AUC is 0.5 by definition.
 */
function classifierBaseline(name: string, metrics: Record<string, number>): BaselineScore | null {
  if (name === PIPELINE_MODELS.sentiment && metrics.lexicon_auc !== undefined) {
    return { name: "AFINN lexicon", value: metrics.lexicon_auc };
  }
  if (name === PIPELINE_MODELS.behaviour) {
    return { name: "base rate", value: 0.5 };
  }
  return null;
}

export async function runTrainingPipeline(input: {
  eventStore: EventStore;
  now: Date;
  options?: TrainingPipelineOptions;
}): Promise<TrainedRelease> {
  const options = input.options ?? {};
  const nowMs = input.now.getTime();
  const runId = options.runId ?? newRunId(nowMs);
  const trainedAt = input.now.toISOString();
  const progress = options.onProgress ?? (() => {});
  const timingsMs: Record<string, number> = {};
  const timed = async <T>(step: PipelineStep, work: () => Promise<T> | T): Promise<T> => {
    progress({ step });
    const started = performance.now();
    try {
      return await work();
    } finally {
      timingsMs[step] = Math.round(performance.now() - started);
    }
  };
  const resolved = await resolveTrainingWindow(input.eventStore, options.window);
  if (resolved === null) {
    throw new NoTrainingDataError("no interactions are stored");
  }
  const window = {
    ...(resolved.sinceMs === undefined ? {} : { sinceMs: resolved.sinceMs }),
    untilMs: resolved.untilMs,
  };
  // "Now" for the models is the window's end, not the clock: a replayed or old log trends and labels as it
  // did then.
  const dataNowMs = resolved.untilMs;

  const { log, reviews } = await timed("read", async () => {
    const log = await readInteractions(input.eventStore, {
      ...window,
      ...(options.valueRanges === undefined ? {} : { ranges: options.valueRanges }),
      onProgress: (eventsRead) => progress({ step: "read", eventsRead }),
    });
    return { log, reviews: await readReviews(input.eventStore, log, window) };
  });
  const pairs = interactionPairs(log);
  const matrix = pairs.weights;
  if (log.window === null || matrix.indices.length === 0) {
    throw new NoTrainingDataError(
      `no interactions with items in the training window (${resolved.description})`,
    );
  }

  const recommender = options.recommender ?? fittedRecommender(options.recs);
  const recs = await timed("recs", () => recommender({ pairs, log, nowMs: dataNowMs, window }));
  const content = await timed("content", () =>
    contentStep(
      log,
      matrix,
      recs.mf,
      {
        ...(options.images ? { images: options.images } : {}),
        ...(options.textEncoder ? { textEncoder: options.textEncoder } : {}),
      },
      options.content,
    ),
  );
  const sentiment = await timed("sentiment", () =>
    trainSentimentStep(reviews, log, runId, options.sentiment),
  );
  const behaviour = await timed("behaviour", () =>
    trainBehaviourStep(log, dataNowMs, runId, options.behaviour),
  );
  const enrichment = await timed(
    "enrich",
    (): Promise<ItemEnrichment> =>
      enrichItems({
        items: itemContents(log),
        ...(sentiment.trained
          ? {
              reviews: { item: reviews.item, texts: reviews.texts },
              scoreSentiment: (texts: readonly string[]) => predictSentiment(sentiment.model, texts),
            }
          : {}),
      }),
  );

  return timed("package", async () => {
    const catalogBytes = encodeCatalog(
      buildCatalogInput({
        version: runId,
        createdAt: trainedAt,
        items: log.items,
        matrix,
        popularity: recs.popularity,
        trending: recs.trending,
        mf: recs.mf,
        sentiment: enrichment.sentiment ?? null,
        content: content.vectors,
      }),
    );
    const users = buildUserFeatures({
      log,
      matrix,
      history: recentItemsPerUser(log, USER_FEATURE_LIMITS.seenItems),
      recentItems: options.recentItems ?? PIPELINE_DEFAULTS.recentItems,
      catalog: catalogPositions(catalogBytes, log.items),
      mf: recs.mf,
      embedding: { model: RECS_EMBEDDING_MODEL, version: runId },
      behaviour: behaviour.trained
        ? { name: PIPELINE_MODELS.behaviour, version: runId, vectors: behaviour.vectors }
        : null,
      updatedAt: trainedAt,
    });
    const trainingWindow = log.window!;
    const models: ReleaseModel[] = [];
    const tuning = recs.candidate
      ? `${describeCandidate(recs.candidate)}; ${recs.trials.length} tuning fits`
      : (recs.source ?? "popularity only");
    const candidates: CandidateModel[] = [
      recs.refused
        ? {
            // Refused against popularity: the catalogue serves cold-start lists only, so these bytes were
            // never built; the gate records the refusal with its reason.
            name: PIPELINE_MODELS.recs,
            version: runId,
            kind: recs.refused.kind,
            metrics: recs.refused.metrics,
            sizeBytes: 0,
            sha256: "",
            trainingWindow,
            ...(recs.baseline ? { baseline: recs.baseline } : {}),
            notes: `${tuning}; not built: ${recs.refused.reason}`,
          }
        : {
            name: PIPELINE_MODELS.recs,
            version: runId,
            kind: recs.kind,
            metrics: recs.metrics,
            sizeBytes: catalogBytes.length,
            sha256: await sha256Hex(catalogBytes),
            trainingWindow,
            ...(recs.baseline ? { baseline: recs.baseline } : {}),
            notes: tuning,
          },
    ];
    const notes = [...recs.notes];
    if (content.vectors) {
      notes.push(describeContentVectors(content.vectors.spec));
    }
    const texts = content.textEmbeddings;
    if (texts && texts.failed > 0) {
      notes.push(
        `${texts.failed} item texts not encoded by ${texts.name} (the encoder failed on their batch)`,
      );
    }
    const images = content.images?.report;
    if (images && images.failed > 0) {
      const reasons = Object.entries(images.failures).map(([reason, n]) => `${reason} ${n}`);
      notes.push(`${images.failed} of ${images.withImage} item images skipped (${reasons.join(", ")})`);
    }
    if (sentiment.trained) {
      models.push(sentiment.release);
    } else {
      notes.push(sentiment.reason);
    }
    if (behaviour.trained) {
      models.push(behaviour.release);
      notes.push(behaviour.summary);
    } else {
      notes.push(behaviour.reason);
    }
    for (const model of models) {
      const baseline = classifierBaseline(model.name, model.metrics ?? {});
      candidates.push({
        name: model.name,
        version: model.version,
        kind: model.kind,
        metrics: model.metrics ?? {},
        sizeBytes: model.bytes.length,
        sha256: await sha256Hex(model.bytes),
        trainingWindow,
        ...(baseline ? { baseline } : {}),
      });
    }
    return {
      runId,
      trainedAt,
      dataWindow: trainingWindow,
      models,
      artifacts: [
        {
          name: CATALOG_ARTIFACT,
          version: runId,
          bytes: catalogBytes,
          ...(content.vectors ? { contentVectors: content.vectors.spec } : {}),
        },
        { name: USER_FEATURES_ARTIFACT, version: runId, bytes: encodeUserFeaturesArtifact(users) },
      ],
      users,
      surfaces: options.surfaces ?? DEFAULT_SURFACES,
      candidates,
      notes,
      counts: {
        events: log.length,
        users: log.users.length,
        items: log.items.length,
        userItemPairs: matrix.indices.length,
        reviews: reviews.texts.length,
      },
      skipped: log.skipped,
      ...(images ? { images } : {}),
      ...(content.vectors ? { contentVectors: content.vectors.spec } : {}),
      timingsMs,
    };
  });
}
