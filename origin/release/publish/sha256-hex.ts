/** The contract's SHA-256 hex (models/contracts/sha256-hex.ts), the form the manifest and the edge compare. */
export { sha256Hex } from "../../../models/contracts/index.ts";
