/** The Worker the parity test bundles: answers every request with the parity cases computed in workerd. */
import { answerCases } from "../../../support/answer-cases.ts";
import { parityCases } from "./parity-cases.ts";

export default answerCases(parityCases);
