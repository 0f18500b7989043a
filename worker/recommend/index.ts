/** Recommending at the edge: the GET /recommendations flow from a pinned release to a logged decision. */
export { type RecommendationRecordInput, recommendationRecord } from "./decision-record.ts";
export { type ExploredRanking, explorationPool, exploreRanking } from "./exploration.ts";
export {
  type PinnedRelease,
  pinRelease,
  type ReleaseCatalog,
  type ReleaseLoaders,
} from "./pinned-release.ts";
export { type Recommendation, type RecommendDeps, type RecommendRequest, recommend } from "./recommend.ts";
