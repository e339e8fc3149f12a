import { describe, expect, it } from "vitest";
import { fallbackModelsErrorAt, toInputFallbackChange, toInputFallbackForm } from "./input-fallback-form";

describe("the input and fallback group of the agent dialogs", () => {
  it("starts from a new agent's settings, and shows an agent's fallbacks one per line", () => {
    expect(toInputFallbackForm()).toEqual({ fallbackModels: "", allowQuestions: false, inputTimeoutSeconds: "900" });
    expect(
      toInputFallbackForm({ fallbackModels: ["a/b", "c/d"], allowQuestions: true, inputTimeoutSeconds: 0 }),
    ).toEqual({
      fallbackModels: "a/b\nc/d",
      allowQuestions: true,
      inputTimeoutSeconds: "0",
    });
  });

  it("sends the non-blank lines in order, and the timeout as a number, left out when empty, as typed when not a number", () => {
    const f = { fallbackModels: "  a/b \n\n c/d\r\n", allowQuestions: true, inputTimeoutSeconds: " 60 " };
    expect(toInputFallbackChange(f)).toEqual({
      fallbackModels: ["a/b", "c/d"],
      allowQuestions: true,
      inputTimeoutSeconds: 60,
    });
    expect(toInputFallbackChange({ ...f, fallbackModels: "", inputTimeoutSeconds: "" })).toEqual({
      fallbackModels: [],
      allowQuestions: true,
    });
    expect(toInputFallbackChange({ ...f, inputTimeoutSeconds: "-1" }).inputTimeoutSeconds).toBe("-1");
    expect(toInputFallbackChange({ ...f, inputTimeoutSeconds: "0" }).inputTimeoutSeconds).toBe(0);
  });

  it("quotes the entry the API's error names, or gives the list's own error", () => {
    expect(fallbackModelsErrorAt({ "fallbackModels.1": "must be provider/model" }, ["a/b", "gpt-4"])).toBe(
      '"gpt-4": must be provider/model',
    );
    expect(fallbackModelsErrorAt({ fallbackModels: "at most 5 fallback models" }, [])).toBe(
      "at most 5 fallback models",
    );
    expect(fallbackModelsErrorAt({ model: "x" }, ["a/b"])).toBeUndefined();
  });
});
