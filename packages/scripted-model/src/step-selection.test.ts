import { describe, expect, it } from "vitest";
import type { ScriptStep } from "./script";
import { computeCalls, SCRIPT_FINISHED_TEXT, selectCall } from "./step-selection";

const write: ScriptStep = { kind: "tools", calls: [{ tool: "write", input: {} }] };
const done: ScriptStep = { kind: "text", text: "done" };
const sleep = (ms: number): ScriptStep => ({ kind: "sleep", ms });
const finished = { kind: "text", text: SCRIPT_FINISHED_TEXT };

describe("selectCall", () => {
  it("plays action k at call k", () => {
    expect(selectCall([write, done], 0)).toEqual({ waitMs: 0, action: write, step: 0 });
    expect(selectCall([write, done], 1)).toEqual({ waitMs: 0, action: done, step: 1 });
  });

  it("attaches sleeps to the following action and sums consecutive ones", () => {
    const steps = [sleep(100), write, sleep(200), sleep(300), done];
    expect(selectCall(steps, 0)).toEqual({ waitMs: 100, action: write, step: 1 });
    expect(selectCall(steps, 1)).toEqual({ waitMs: 500, action: done, step: 4 });
    expect(selectCall(steps, 2)).toEqual({ waitMs: 0, action: finished, step: null });
  });

  it("turns trailing sleeps into one waiting final answer", () => {
    const steps = [write, sleep(1000)];
    expect(computeCalls(steps)).toEqual([
      { waitMs: 0, action: write, step: 0 },
      { waitMs: 1000, action: finished, step: null },
    ]);
    expect(selectCall(steps, 2)).toEqual({ waitMs: 0, action: finished, step: null });
  });

  it("answers a final text once the script is exhausted, or for an empty script", () => {
    expect(selectCall([], 0)).toEqual({ waitMs: 0, action: finished, step: null });
    expect(selectCall([done], 7)).toEqual({ waitMs: 0, action: finished, step: null });
    expect(selectCall([sleep(5)], 0)).toEqual({ waitMs: 5, action: finished, step: null });
  });
});
