import type { AttemptContext } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { composePrompt } from "./prompt";

const ctx = (attempt: number, contexts?: AttemptContext["contexts"]) =>
  ({ session: { prompt: "do it\nSCRIPT: []" }, attempt: { number: attempt }, ...(contexts ? { contexts } : {}) }) as unknown as AttemptContext;

describe("the first prompt of an attempt", () => {
  it("is the session's prompt when there are no contexts", () => {
    expect(composePrompt(ctx(1))).toBe("do it\nSCRIPT: []");
    expect(composePrompt(ctx(1, []))).toBe("do it\nSCRIPT: []");
  });

  it("opens with the contexts and keeps the session's prompt last", () => {
    const text = composePrompt(ctx(2, [{ id: "c1", scope: "session", name: null, version: 3, data: { k: "v" } }]));
    expect(text.startsWith("Shared contexts of this session")).toBe(true);
    expect(text).toContain('[{"id":"c1","scope":"session","name":null,"version":3,"data":{"k":"v"}}]');
    expect(text.indexOf("This is attempt 2")).toBeGreaterThan(text.indexOf("orchestrator-context"));
    expect(text.endsWith("do it\nSCRIPT: []")).toBe(true);
  });
});
