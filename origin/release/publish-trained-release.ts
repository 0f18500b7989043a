/**
 * From a trained release to the edge: record its models as candidates, pass them through the publish gate,
 * and publish when they pass (or when forced), carrying over the serving sentiment and behaviour models
 * when this run did not train them. A model refused against its naive baseline is left out (and not carried
 * over: its fallback serves); the rest of the release goes out. Every decision lands in the registry:
 * candidates become published or rejected with the gate's reasons in their notes.
 */
import { type Manifest, ModelEntry } from "../../models/contracts/index.ts";
import {
  type ManifestRepair,
  type NamedArtifact,
  type PublishTargets,
  publishRelease,
  type ReleaseModel,
  readServingManifest,
  type UserShardReport,
} from "./publish/index.ts";
import { readReleaseBytes } from "./read-release-bytes.ts";
import { type GateDecision, gateCandidates, type ModelRegistry } from "./registry/index.ts";
import { modelsNotIn, servedModels } from "./served-models.ts";
import { PIPELINE_MODELS, type TrainedRelease } from "./trained-release.ts";

export interface PublishTrainedOptions {
  /** Largest accepted relative drop of a headline metric (PUBLISH_TOLERANCE). */
  tolerance: number;
  /** Relative margin by which each model must beat its naive baseline (BASELINE_MARGIN). */
  baselineMargin?: number;
  /** Publish even when the serving comparison says no; the decisions are still recorded. */
  force?: boolean;
  /** The edge memory budget and user cache size the publisher checks the release against. */
  memoryBudgetBytes?: number;
  featureCacheUsers?: number;
}

export interface PublishTrainedOutcome {
  published: boolean;
  decisions: GateDecision[];
  /** The manifest now serving, when published. */
  manifest?: Manifest;
  /** Models and artifacts kept from the serving release because this run did not produce them. */
  carriedOver: string[];
  /** Set when `manifest/current` was unreadable and this publish rewrote it. */
  repaired?: ManifestRepair;
  message: string;
}

export async function publishTrainedRelease(
  targets: PublishTargets,
  registry: ModelRegistry,
  release: TrainedRelease,
  options: PublishTrainedOptions,
): Promise<PublishTrainedOutcome> {
  await registry.recordCandidates(release.candidates);
  const gate = await gateCandidates(registry, release.candidates, {
    tolerance: options.tolerance,
    ...(options.baselineMargin === undefined ? {} : { baselineMargin: options.baselineMargin }),
    ...(options.force ? { force: true } : {}),
  });
  const belowBaseline = gate.decisions.filter((d) => d.refusedBy === "baseline");
  const summary = gate.decisions.map((d) => `${d.name}: ${d.reason}`).join("; ");
  if (!gate.accepted) {
    for (const decision of gate.decisions) {
      await registry.markRejected(
        [{ name: decision.name, version: decision.version }],
        decision.accepted ? `release rejected by the gate on another model: ${summary}` : decision.reason,
      );
    }
    return {
      published: false,
      decisions: gate.decisions,
      carriedOver: [],
      message: `not published: ${summary}`,
    };
  }

  // An unreadable manifest/current is stood in for by the newest readable release: the carried-over
  // models come from it, and this publish rewrites the pointer.
  const servingNow = await readServingManifest(targets.models);
  const serving = servingNow.manifest;
  const refusedNames = new Set(belowBaseline.map((d) => d.name));
  const models = release.models.filter((model) => !refusedNames.has(model.name));
  const carried = serving ? await carryOver(targets, serving, models, refusedNames) : [];
  const carriedArtifacts = serving ? await carryOverArtifacts(targets, serving, release.artifacts) : [];
  const { manifest, repaired, users } = await publishRelease(
    targets,
    {
      models: [...models, ...carried],
      artifacts: [...release.artifacts, ...carriedArtifacts],
      users: release.users,
      surfaces: release.surfaces,
    },
    {
      serving: servingNow,
      ...(options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes }),
      ...(options.featureCacheUsers === undefined ? {} : { featureCacheUsers: options.featureCacheUsers }),
    },
  );
  const note = `published in manifest ${manifest.version}: ${summary}`;
  for (const decision of belowBaseline) {
    await registry.markRejected([{ name: decision.name, version: decision.version }], decision.reason);
    if (decision.servingVersion !== undefined && decision.servingVersion !== decision.version) {
      await registry.markRolledBack(
        [{ name: decision.name, version: decision.servingVersion }],
        `left service in manifest ${manifest.version}: its successor ${decision.version} was refused against its baseline, so the edge serves the fallback`,
      );
    }
  }
  // The catalogue stands for `recs` in servedModels: a refused recommender's catalogue serves only its
  // cold-start lists, so it does not make the refused version published.
  await registry.markPublished(modelsNotIn(servedModels(manifest), belowBaseline), manifest.version, note);
  const carriedOver = [...carried, ...carriedArtifacts].map((part) => `${part.name}@${part.version}`);
  return {
    published: true,
    decisions: gate.decisions,
    manifest,
    carriedOver,
    message: `published manifest ${manifest.version}${
      carriedOver.length > 0 ? ` (kept ${carriedOver.join(", ")})` : ""
    }: ${summary}${users ? `; ${describeUserShards(users)}` : ""}${repaired ? `; repaired: ${repaired.message}` : ""}`,
    ...(repaired ? { repaired } : {}),
  };
}

/**
 * The serving pipeline models this release lacks, with their bytes read back from KV. Only the pipeline's
 * own names: a model someone published by other means is theirs to keep or drop.
 */
async function carryOver(
  targets: PublishTargets,
  serving: Manifest,
  trained: readonly ReleaseModel[],
  refused: ReadonlySet<string>,
): Promise<ReleaseModel[]> {
  const have = new Set([...trained.map((model) => model.name), ...refused]);
  const carried: ReleaseModel[] = [];
  for (const name of [PIPELINE_MODELS.sentiment, PIPELINE_MODELS.behaviour]) {
    const parsed = ModelEntry.safeParse(serving.models[name]);
    if (have.has(name) || !parsed.success) {
      continue;
    }
    const entry = parsed.data;
    carried.push({
      name: entry.name,
      version: entry.version,
      kind: entry.kind,
      bytes: await readReleaseBytes(targets.models, `model ${name}@${entry.version}`, entry),
      // The manifest's tensor specs are the ones this model was published with, so they fit its IO type.
      io: { inputs: entry.inputs, outputs: entry.outputs } as ReleaseModel["io"],
      quantization: entry.quantization,
      metrics: entry.metrics,
      ...(entry.featureVector ? { featureVector: entry.featureVector } : {}),
      ...(entry.preprocessing ? { preprocessing: entry.preprocessing } : {}),
    });
  }
  return carried;
}

/**
 * The serving artifacts this release does not produce (the learning loop's `bandit` policies), read back
 * from KV so a retrain keeps them: a release is the whole manifest, and dropping the policies would send
 * every surface back to random exploration until the next learning run.
 */
async function carryOverArtifacts(
  targets: PublishTargets,
  serving: Manifest,
  produced: readonly NamedArtifact[],
): Promise<NamedArtifact[]> {
  const have = new Set(produced.map((artifact) => artifact.name));
  const carried: NamedArtifact[] = [];
  for (const [name, entry] of Object.entries(serving.artifacts ?? {})) {
    if (!have.has(name)) {
      const bytes = await readReleaseBytes(targets.models, `artifact ${name}@${entry.version}`, entry);
      carried.push({
        name,
        version: entry.version,
        bytes,
        ...(entry.contentVectors ? { contentVectors: entry.contentVectors } : {}),
      });
    }
  }
  return carried;
}

/** "users: 10000 in 61 shards (3 written), 2 stored apart": the KV cost of the users, and any left out. */
function describeUserShards(report: UserShardReport): string {
  const notes = [
    ...(report.usersApart > 0 ? [`${report.usersApart} stored apart (too large to share a shard)`] : []),
    ...(report.skippedUsers > 0 ? [`${report.skippedUsers} left out (over KV's 25 MiB value limit)`] : []),
  ];
  return `users: ${report.users} in ${report.shards} shards (${report.valuesWritten} values written)${
    notes.length > 0 ? `, ${notes.join(", ")}` : ""
  }`;
}
