/** Hashes that Node and workerd compute bit for bit alike (feature hashing, experiment assignment). */
export { fmix32, fnv1a32, unitHash } from "./fnv1a.ts";
