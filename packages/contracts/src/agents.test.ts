import { DEFAULT_INPUT_TIMEOUT_SECONDS, MAX_FALLBACK_MODELS } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { CreateAgentBody, PatchAgentBody } from "./agents";

/** The issue-14 agent settings (docs/input-requests.md §3): defaults on create, each bad value named by its path. */
const base = { name: "fallbacker", type: "implementer" } as const;
const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("agent input and fallback settings", () => {
  it("default to no questions, the standard timeout and no fallback", () => {
    expect(CreateAgentBody.parse(base)).toMatchObject({
      allowQuestions: false,
      inputTimeoutSeconds: DEFAULT_INPUT_TIMEOUT_SECONDS,
      fallbackModels: [],
    });
  });

  it("take fallback models in order, 0 as wait forever, and each on PATCH alone", () => {
    const body = CreateAgentBody.parse({
      ...base,
      allowQuestions: true,
      inputTimeoutSeconds: 0,
      fallbackModels: ["scripted/scripted-model", "openai/gpt-4.1-mini"],
    });
    expect(body).toMatchObject({
      allowQuestions: true,
      inputTimeoutSeconds: 0,
      fallbackModels: ["scripted/scripted-model", "openai/gpt-4.1-mini"],
    });
    expect(PatchAgentBody.parse({ fallbackModels: [] })).toEqual({ fallbackModels: [] });
    expect(PatchAgentBody.parse({ allowQuestions: false })).toEqual({ allowQuestions: false });
    expect(PatchAgentBody.parse({ inputTimeoutSeconds: 60 })).toEqual({ inputTimeoutSeconds: 60 });
  });

  it("name the entry of a bad model ref or a duplicate, and refuse too many", () => {
    const bad = CreateAgentBody.safeParse({ ...base, fallbackModels: ["scripted/scripted-model", "gpt-4"] });
    expect(paths(bad)).toEqual(["fallbackModels.1"]);
    expect(bad.error?.issues[0]?.message).toBe("must be provider/model");
    const twice = PatchAgentBody.safeParse({ fallbackModels: ["a/b", "c/d", "a/b"] });
    expect(paths(twice)).toEqual(["fallbackModels.2"]);
    expect(twice.error?.issues[0]?.message).toBe("a/b is listed twice");
    const many = Array.from({ length: MAX_FALLBACK_MODELS + 1 }, (_, i) => `p/m${i}`);
    expect(paths(CreateAgentBody.safeParse({ ...base, fallbackModels: many }))).toEqual(["fallbackModels"]);
    expect(paths(CreateAgentBody.safeParse({ ...base, fallbackModels: "a/b" }))).toEqual(["fallbackModels"]);
  });

  it("refuse a negative, fractional or too long timeout and a non-boolean switch", () => {
    for (const t of [-1, 1.5, 604_801, "900"])
      expect(paths(PatchAgentBody.safeParse({ inputTimeoutSeconds: t })), String(t)).toEqual(["inputTimeoutSeconds"]);
    expect(paths(PatchAgentBody.safeParse({ allowQuestions: "yes" }))).toEqual(["allowQuestions"]);
  });
});
