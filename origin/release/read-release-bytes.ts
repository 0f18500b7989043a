/**
 * Reads a published model's or artifact's bytes back from KV and checks them against the manifest's size
 * and sha256 (the contract's readPublishedBytes), so bytes carried into a new release or restored by a
 * rollback are exactly the ones that served.
 */
export { readPublishedBytes as readReleaseBytes } from "../../models/contracts/index.ts";
