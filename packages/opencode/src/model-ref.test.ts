import { describe, expect, it } from "vitest";
import { InvalidInputError } from "@industrial/core";
import { listModelRefs, parseModelRef } from "./model-ref";

describe("parseModelRef", () => {
  it("splits on the first slash", () => {
    expect(parseModelRef("anthropic/claude-sonnet-4")).toEqual({ providerID: "anthropic", modelID: "claude-sonnet-4" });
    expect(parseModelRef("openrouter/anthropic/claude")).toEqual({
      providerID: "openrouter",
      modelID: "anthropic/claude",
    });
  });

  it.each(["claude", "/claude", "anthropic/", " / ", ""])("rejects %j", (ref) => {
    expect(() => parseModelRef(ref)).toThrow(InvalidInputError);
  });
});

describe("listModelRefs", () => {
  it("lists provider/model pairs, sorted", () => {
    expect(
      listModelRefs([
        { id: "z", models: { b: {}, a: {} } },
        { id: "scripted", models: { "scripted-model": {} } },
      ]),
    ).toEqual(["scripted/scripted-model", "z/a", "z/b"]);
  });
});
