/** The Worker the text parity test bundles: the text features of PARITY_TEXTS, computed in workerd. */
import { answerCases } from "../../../support/answer-cases.ts";
import { textParityCases } from "./text-cases.ts";

export default answerCases(textParityCases);
