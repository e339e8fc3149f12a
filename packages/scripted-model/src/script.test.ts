import { describe, expect, it } from "vitest";
import type { ChatMessage } from "./chat-request";
import { findScript, parseScript, promptWithoutScript, ScriptParseError } from "./script";

const user = (content: ChatMessage["content"]): ChatMessage => ({ role: "user", content });
const parseError = (source: string) => {
  try {
    parseScript(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ScriptParseError);
    return (e as Error).message;
  }
  throw new Error("expected a parse error");
};

describe("parseScript", () => {
  it("normalises every step shape", () => {
    const steps = parseScript(
      JSON.stringify([
        { tool: "write", input: { filePath: "a.txt", content: "x" } },
        { tools: [{ tool: "read", input: { filePath: "a.txt" } }, { tool: "glob" }] },
        { sleep_ms: 250.4 },
        { text: "done" },
        { error: { status: 503, message: "busy" } },
        { error: { status: 400 } },
      ]),
    );
    expect(steps).toEqual([
      { kind: "tools", calls: [{ tool: "write", input: { filePath: "a.txt", content: "x" } }] },
      {
        kind: "tools",
        calls: [
          { tool: "read", input: { filePath: "a.txt" } },
          { tool: "glob", input: {} },
        ],
      },
      { kind: "sleep", ms: 250 },
      { kind: "text", text: "done" },
      { kind: "error", status: 503, message: "busy" },
      { kind: "error", status: 400, message: null },
    ]);
  });

  it("accepts an empty array and surrounding whitespace", () => {
    expect(parseScript("  \n[]\n ")).toEqual([]);
  });

  it("says what is wrong", () => {
    expect(parseError("{}")).toMatch(/JSON array/);
    expect(parseError("[{")).toMatch(/does not parse/);
    expect(parseError('"x"')).toMatch(/JSON array/);
    expect(parseError("[1]")).toMatch(/step 0 must be an object/);
    expect(parseError('[{"text":"a"},{"say":"b"}]')).toMatch(/step 1 has an unknown shape.*found say/);
    expect(parseError('[{"text":"a","tool":"b"}]')).toMatch(/exactly one of.*found tool and text/);
    expect(parseError('[{"text":"a","extra":1}]')).toMatch(/step 0 \(text\) has unknown field\(s\) extra/);
    expect(parseError('[{"tool":""}]')).toMatch(/step 0.tool must be a non-empty string/);
    expect(parseError('[{"tool":"write","input":[]}]')).toMatch(/input must be an object/);
    expect(parseError('[{"tool":"write","args":{}}]')).toMatch(/unknown field\(s\) args/);
    expect(parseError('[{"tools":[]}]')).toMatch(/non-empty array/);
    expect(parseError('[{"tools":[{"tool":"a"},{"name":"b"}]}]')).toMatch(/step 0.tools\[1\]/);
    expect(parseError('[{"sleep_ms":-1}]')).toMatch(/sleep_ms/);
    expect(parseError('[{"sleep_ms":"100"}]')).toMatch(/sleep_ms/);
    expect(parseError('[{"sleep_ms":1e12}]')).toMatch(/sleep_ms/);
    expect(parseError('[{"error":{"status":500}}]')).toMatch(/400, 429, 503/);
    expect(parseError('[{"error":"boom"}]')).toMatch(/error must be an object/);
    expect(parseError('[{"error":{"status":400,"message":3}}]')).toMatch(/message must be a string/);
  });
});

describe("findScript", () => {
  const script = 'SCRIPT: [{"text":"one"}]';

  it("returns none without a SCRIPT line", () => {
    expect(findScript([user("hello"), user("SCRIPTS: [] is not it"), user("x SCRIPT: []")])).toEqual({ kind: "none" });
  });

  it("uses the most recent user message with a script, wherever the line is", () => {
    const found = findScript([
      { role: "system", content: 'SCRIPT: [{"text":"system"}]' },
      user(`first\n${script}`),
      { role: "assistant", content: "one" },
      user('again\nSCRIPT:\n[{"text":"two"}]'),
      user("continue"),
      { role: "assistant", content: 'SCRIPT: [{"text":"assistant"}]' },
    ]);
    expect(found).toEqual({ kind: "script", anchor: 3, steps: [{ kind: "text", text: "two" }] });
  });

  it("reads the script in the text part that holds it (array content)", () => {
    const found = findScript([
      user([
        { type: "text", text: `do it\n${script}` },
        { type: "text", text: "<system-reminder>x</system-reminder>" },
      ]),
    ]);
    expect(found).toEqual({ kind: "script", anchor: 0, steps: [{ kind: "text", text: "one" }] });
  });

  it("reports an invalid script with its anchor", () => {
    const found = findScript([user("a"), user("SCRIPT: [nope]")]);
    expect(found.kind).toBe("invalid");
    expect(found).toMatchObject({ anchor: 1 });
  });
});

describe("promptWithoutScript", () => {
  it("keeps the text before the SCRIPT line", () => {
    expect(promptWithoutScript("Fix the bug\nplease\nSCRIPT: []")).toBe("Fix the bug\nplease");
    expect(promptWithoutScript("  just text ")).toBe("just text");
  });
});
