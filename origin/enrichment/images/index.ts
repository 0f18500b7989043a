export {
  DEFAULT_IMAGE_FETCH_POLICY,
  type FetchedImage,
  fetchImage,
  IMAGE_CONTENT_TYPES,
  ImageFetchError,
  type ImageFetchFailure,
  type ImageFetchPolicy,
} from "./fetch-image.ts";
export { imageFetchPolicy } from "./image-fetch-config.ts";
export { isPrivateAddress } from "./private-addresses.ts";
