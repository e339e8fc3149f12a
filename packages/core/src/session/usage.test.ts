import { describe, expect, it } from "vitest";
import type { AttemptUsage, ModelUsage } from "./model-usage";
import { emptyTokenTotals } from "./session";
import { addByModel, countModelUsage, emptyUsage, UNKNOWN_MODEL } from "./usage";

const share = (input: number, costUsd: number, modelCalls = 1): ModelUsage => ({
  tokens: { ...emptyTokenTotals(), input },
  costUsd,
  modelCalls,
});

describe("countModelUsage: the totals and the answering model's share move together", () => {
  it("adds to the totals and to the model's entry", () => {
    const u = emptyUsage();
    countModelUsage(u, "a/one", share(10, 0.5));
    countModelUsage(u, "b/two", share(4, 0.25));
    countModelUsage(u, "a/one", share(1, 0, 1));
    expect(u).toMatchObject({ costUsd: 0.75, modelCalls: 3, tokens: { input: 15 } });
    expect(u.byModel).toEqual({ "a/one": share(11, 0.5, 2), "b/two": share(4, 0.25) });
  });

  it("a model not known counts under UNKNOWN_MODEL", () => {
    const u = emptyUsage();
    countModelUsage(u, null, share(1, 0));
    expect(Object.keys(u.byModel!)).toEqual([UNKNOWN_MODEL]);
  });

  it("usage stored without byModel gets one from the next call on", () => {
    const { byModel: _, ...stored } = { ...emptyUsage(), modelCalls: 3 };
    const u: AttemptUsage = stored;
    countModelUsage(u, "a/one", share(2, 0.1));
    expect(u.modelCalls).toBe(4);
    expect(u.byModel).toEqual({ "a/one": share(2, 0.1) });
  });
});

describe("addByModel", () => {
  it("adds model by model and leaves its inputs alone", () => {
    const a = { "a/one": share(1, 0.1) };
    const b = { "a/one": share(2, 0.2), "b/two": share(3, 0.3) };
    const sum = addByModel(a, b);
    expect(sum["a/one"]).toMatchObject({ modelCalls: 2, tokens: { input: 3 } });
    expect(sum["a/one"]!.costUsd).toBeCloseTo(0.3, 12);
    expect(sum["b/two"]).toEqual(share(3, 0.3));
    expect(a).toEqual({ "a/one": share(1, 0.1) });
  });

  it("taking out what was added gives back the record it started from (a model left with nothing is dropped, a float residue of cost included)", () => {
    const start = { "a/one": share(5, 0.1) };
    const attempt = { "a/one": share(2, 0.2), "b/two": share(3, 0.30000000000000004) };
    const back = addByModel(addByModel(start, attempt), attempt, -1);
    expect(Object.keys(back)).toEqual(["a/one"]);
    expect(back["a/one"]).toMatchObject({ modelCalls: 1, tokens: { input: 5 } });
    expect(back["a/one"]!.costUsd).toBeCloseTo(0.1, 12);
  });

  it("cost never goes below zero", () => {
    expect(addByModel({ "a/one": share(5, 0.1, 2) }, { "a/one": share(1, 0.2) }, -1)["a/one"]!.costUsd).toBe(0);
  });

  it("nothing to add: the same entries", () => {
    expect(addByModel({ "a/one": share(1, 0.1) }, {})).toEqual({ "a/one": share(1, 0.1) });
  });
});
