import { describe, expect, it } from "vitest";
import {
  AddAgentOptions,
  parsePermissionFlag,
  toCreateAgentBody,
  toPatchAgentBody,
  UpdateAgentOptions,
} from "./agent-options";
import { UsageError } from "./cli-error";
import { parseOptions } from "./options";

const parseAdd = (raw: Record<string, unknown>) =>
  parseOptions(AddAgentOptions, { name: "auditor", type: "reviewer", ...raw }, { name: "<name>" });

function usageError(raw: Record<string, unknown>): UsageError {
  try {
    parseAdd(raw);
  } catch (e) {
    if (e instanceof UsageError) return e;
  }
  throw new Error("expected a UsageError");
}

describe("parsePermissionFlag", () => {
  it("reads permission=action as a rule on every pattern", () => {
    expect(parsePermissionFlag("edit=deny")).toEqual({
      ok: true,
      rule: { permission: "edit", pattern: "*", action: "deny" },
    });
    expect(parsePermissionFlag("*=ask")).toEqual({ ok: true, rule: { permission: "*", pattern: "*", action: "ask" } });
  });

  it("reads permission:pattern=action, the pattern kept as written", () => {
    expect(parsePermissionFlag("bash:git*=allow")).toEqual({
      ok: true,
      rule: { permission: "bash", pattern: "git*", action: "allow" },
    });
    expect(parsePermissionFlag("bash:git push *=deny")).toEqual({
      ok: true,
      rule: { permission: "bash", pattern: "git push *", action: "deny" },
    });
  });

  it("lets a pattern contain = and : (the action is after the last =, the permission before the first :)", () => {
    expect(parsePermissionFlag("bash:FOO=1 make=ask")).toEqual({
      ok: true,
      rule: { permission: "bash", pattern: "FOO=1 make", action: "ask" },
    });
    expect(parsePermissionFlag("webfetch:https://x.io/*=allow")).toEqual({
      ok: true,
      rule: { permission: "webfetch", pattern: "https://x.io/*", action: "allow" },
    });
  });

  it("refuses malformed values, naming the value and what is wrong", () => {
    const reason = (raw: string) => {
      const r = parsePermissionFlag(raw);
      return r.ok ? null : r.reason;
    };
    expect(reason("edit")).toBe(
      '"edit": expected permission=action or permission:pattern=action (e.g. edit=deny, bash:git *=allow)',
    );
    expect(reason("=deny")).toContain("expected permission=action");
    expect(reason(":git=deny")).toContain("expected permission=action");
    expect(reason("edit=maybe")).toBe('"edit=maybe": the action must be one of allow, ask, deny');
    expect(reason("edit=")).toContain("the action must be one of");
    expect(reason("bash:=allow")).toContain("the pattern after `:` is empty");
    expect(reason("Edit=deny")).toBe(
      '"Edit=deny": permission must be an OpenCode permission (edit, bash, read, webfetch, … or *)',
    );
    expect(reason(`bash:${"x".repeat(513)}=deny`)).toMatch(/^"bash:x+=deny": pattern /);
  });
});

describe("agents add options", () => {
  it("turn repeatable flags into the create body, capabilities de-duplicated, permissions in order", () => {
    const o = parseAdd({
      capability: ["security_audit,debugging", "security_audit"],
      model: "scripted/replay",
      opencodeAgent: "plan",
      temperature: "0.2",
      maxConcurrent: "3",
      permission: ["edit=deny", "bash:git *=allow"],
    });
    expect(toCreateAgentBody(o, "Audit.")).toEqual({
      name: "auditor",
      type: "reviewer",
      capabilities: ["security_audit", "debugging"],
      model: "scripted/replay",
      openCodeAgent: "plan",
      systemPrompt: "Audit.",
      temperature: 0.2,
      maxConcurrent: 3,
      permissions: [
        { permission: "edit", pattern: "*", action: "deny" },
        { permission: "bash", pattern: "git *", action: "allow" },
      ],
    });
  });

  it("send only what was given, so the server's defaults apply", () => {
    expect(toCreateAgentBody(parseAdd({}), undefined)).toEqual({
      name: "auditor",
      type: "reviewer",
      capabilities: [],
      permissions: [],
    });
  });

  it("name the flag of a bad permission, with the value", () => {
    const e = usageError({ permission: ["edit=deny", "bash:git*=sometimes"] });
    expect(e.message).toBe('invalid --permission: "bash:git*=sometimes": the action must be one of allow, ask, deny');
    expect(e.exitCode).toBe(2);
  });

  it("name every bad flag and the positional name at once", () => {
    const e = usageError({
      name: "x",
      temperature: "2.5",
      maxConcurrent: "0",
      capability: ["telepathy"],
      runner: "r1",
      model: "gpt",
    });
    expect(e.details.map((d) => d.path)).toEqual([
      "<name>",
      "--capability",
      "--model",
      "--temperature",
      "--max-concurrent",
      "--runner",
    ]);
    expect(e.details.find((d) => d.path === "--capability")?.reason).toContain('"telepathy" is not one of');
  });

  it("take fallback models in order, the question switch and the input timeout", () => {
    const o = parseAdd({
      fallbackModel: ["scripted/scripted-model", "scripted/scripted-model-large"],
      allowQuestions: true,
      inputTimeout: "0",
    });
    expect(toCreateAgentBody(o, undefined)).toMatchObject({
      fallbackModels: ["scripted/scripted-model", "scripted/scripted-model-large"],
      allowQuestions: true,
      inputTimeoutSeconds: 0,
    });
    expect(toCreateAgentBody(parseAdd({ allowQuestions: false }), undefined)).toMatchObject({ allowQuestions: false });
  });

  it("name --fallback-model for a bad ref or a duplicate, and --input-timeout out of range", () => {
    expect(usageError({ fallbackModel: ["scripted/a", "gpt"] }).message).toBe(
      "invalid --fallback-model: must be provider/model",
    );
    expect(usageError({ fallbackModel: ["scripted/a", "scripted/a"] }).message).toBe(
      "invalid --fallback-model: scripted/a is listed twice",
    );
    expect(usageError({ inputTimeout: "-5" }).details.map((d) => d.path)).toEqual(["--input-timeout"]);
    expect(usageError({ inputTimeout: "604801" }).message).toBe("invalid --input-timeout: must be at most 604800");
  });

  it("refuse --system-prompt together with --system-prompt-file", () => {
    expect(usageError({ systemPrompt: "a", systemPromptFile: "b.md" }).message).toBe(
      "invalid --system-prompt-file: give either --system-prompt or --system-prompt-file, not both",
    );
  });
});

describe("agents update options", () => {
  const parseUpdate = (raw: Record<string, unknown>) => parseOptions(UpdateAgentOptions, raw);

  it("replace the fallback list, or clear it with --no-fallback-models, but not both", () => {
    expect(toPatchAgentBody(parseUpdate({ fallbackModel: ["scripted/scripted-model"] }), undefined)).toEqual({
      fallbackModels: ["scripted/scripted-model"],
    });
    expect(toPatchAgentBody(parseUpdate({ fallbackModels: false }), undefined)).toEqual({ fallbackModels: [] });
    expect(toPatchAgentBody(parseUpdate({ allowQuestions: false, inputTimeout: "60" }), undefined)).toEqual({
      allowQuestions: false,
      inputTimeoutSeconds: 60,
    });
    expect(toPatchAgentBody(parseUpdate({}), undefined)).toBeNull();
    expect(() => parseUpdate({ fallbackModel: ["scripted/scripted-model"], fallbackModels: false })).toThrow(
      "give either --fallback-model or --no-fallback-models, not both",
    );
  });
});
