/** Small statistics both sides need: normal quantiles and confidence intervals for a mean. */
export { type Interval, type MeanEstimate, normalMeanInterval, wilsonInterval } from "./intervals.ts";
export { normalQuantile, twoSidedZ } from "./normal-quantile.ts";
