import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../origin/config.ts";
import {
  loadOnnxRuntimeNode,
  requireOnnxRuntimeNode,
} from "../../../../origin/train/enrichment/onnx-runtime.ts";

const ABSENT = "onnxruntime-node-not-installed-here";

describe("onnxruntime-node, the encoders' optional dependency", () => {
  it("loads the installed package", async () => {
    expect(() => requireOnnxRuntimeNode("IMAGE_ENCODER_MODEL")).not.toThrow();
    const ort = await loadOnnxRuntimeNode("IMAGE_ENCODER_MODEL");
    expect(typeof ort.InferenceSession.create).toBe("function");
  });

  it("names the setting that needs it and how to install it when it is missing", async () => {
    expect(() => requireOnnxRuntimeNode("TEXT_ENCODER_MODEL", ABSENT)).toThrow(ConfigError);
    expect(() => requireOnnxRuntimeNode("TEXT_ENCODER_MODEL", ABSENT)).toThrow(
      /TEXT_ENCODER_MODEL needs onnxruntime-node, an optional dependency .*npm install onnxruntime-node/,
    );
    await expect(loadOnnxRuntimeNode("IMAGE_ENCODER_MODEL", ABSENT)).rejects.toThrow(
      /IMAGE_ENCODER_MODEL needs onnxruntime-node, .*Cannot find package.*or unset IMAGE_ENCODER_MODEL/,
    );
  });
});
