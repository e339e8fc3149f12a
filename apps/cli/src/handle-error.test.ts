import { ApiError } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CliError, UsageError } from "./cli-error";
import { ExitCode } from "./exit-codes";
import { createColors } from "./format/colors";
import { describeError, formatErrorReport } from "./handle-error";

const URL = "http://127.0.0.1:8000";
const api = (status: number, code: string, extra: object = {}) =>
  new ApiError(status, { code, message: `${code} happened`, requestId: "req-1", ...extra });

describe("describeError", () => {
  it("maps API errors to exit codes and keeps code, details and request id", () => {
    const r = describeError(
      api(400, "INVALID_INPUT", { details: [{ path: "body.priority", reason: "invalid" }] }),
      URL,
    );
    expect(r).toMatchObject({
      code: "INVALID_INPUT",
      httpStatus: 400,
      exitCode: 2,
      requestId: "req-1",
      details: [{ path: "body.priority", reason: "invalid" }],
    });
    expect(describeError(api(404, "NOT_FOUND"), URL).exitCode).toBe(3);
    expect(describeError(api(409, "INVALID_TRANSITION"), URL).exitCode).toBe(4);
    expect(describeError(api(500, "INTERNAL"), URL).exitCode).toBe(5);
  });

  it("prefers the server's suggestion, else gives one", () => {
    expect(describeError(api(409, "CONFLICT", { suggestion: "stop it first" }), URL).suggestion).toBe("stop it first");
    expect(describeError(api(404, "NOT_FOUND"), URL).suggestion).toContain("orchestrator ls");
  });

  it("takes a command's own hints for 404, 409 and 400 (agents are not sessions)", () => {
    const hints = { notFound: "list agents with `orchestrator agents ls`", conflict: "drain it first" };
    expect(describeError(api(404, "NOT_FOUND"), URL, hints).suggestion).toBe(hints.notFound);
    expect(describeError(api(409, "CONFLICT"), URL, hints).suggestion).toBe(hints.conflict);
    expect(describeError(api(409, "CONFLICT", { suggestion: "the server knows" }), URL, hints).suggestion).toBe(
      "the server knows",
    );
    expect(describeError(api(400, "INVALID_INPUT"), URL, hints).suggestion).toContain("--help");
    expect(describeError(api(400, "INVALID_INPUT"), URL, { invalid: "answer n+1 is body.answers.n" }).suggestion).toBe(
      "answer n+1 is body.answers.n",
    );
  });

  it("a 401 says how to log in (exit 2), whatever HTTP advice the server gave", () => {
    const r = describeError(
      api(401, "UNAUTHENTICATED", {
        message: "this API key was revoked",
        suggestion: "send Authorization: Bearer <api key>",
      }),
      URL,
    );
    expect(r).toMatchObject({ exitCode: 2, code: "UNAUTHENTICATED", httpStatus: 401 });
    expect(r.suggestion).toContain("orchestrator login");
    expect(r.suggestion).toContain("ORCHESTRATOR_TOKEN");
    const fromStore = describeError(api(401, "UNAUTHENTICATED"), URL, { unauthenticated: "log in again" });
    expect(fromStore.suggestion).toBe("log in again");
  });

  it("a 403 keeps the server's message (which names the role needed) and says how to get such a key", () => {
    const r = describeError(
      new ApiError(403, {
        code: "FORBIDDEN",
        message: "stopSession needs the member role; this key is viewer",
        requestId: "req-1",
      }),
      URL,
    );
    expect(r).toMatchObject({
      exitCode: 2,
      code: "FORBIDDEN",
      message: "stopSession needs the member role; this key is viewer",
    });
    expect(r.suggestion).toContain("orchestrator keys create");
  });

  it("treats a non-API answer as an unavailable server", () => {
    expect(describeError(api(200, "INTERNAL"), URL)).toMatchObject({
      exitCode: 5,
      suggestion: expect.stringContaining(URL),
    });
  });

  it("recognises an unreachable server and a timeout", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    expect(describeError(refused, URL)).toMatchObject({
      exitCode: 5,
      code: "UNREACHABLE",
      message: `cannot reach the orchestrator at ${URL} (ECONNREFUSED)`,
    });
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    expect(describeError(timeout, URL)).toMatchObject({
      exitCode: 5,
      message: expect.stringContaining("did not answer in time"),
    });
  });

  it("reports CLI errors with their own exit code", () => {
    expect(describeError(new UsageError("bad --port"), URL)).toMatchObject({ exitCode: 2, code: "USAGE" });
    expect(describeError(new CliError("no such prefix", ExitCode.NOT_FOUND), URL)).toMatchObject({
      exitCode: 3,
      code: "NOT_FOUND",
    });
  });

  it("splits the server's config errors into details (exit 2)", () => {
    const e = Object.assign(new Error("invalid configuration"), {
      errors: ["PORT: Too big", "LOG_LEVEL: Invalid option"],
    });
    expect(describeError(e, URL)).toMatchObject({
      exitCode: 2,
      details: [
        { path: "PORT", reason: "Too big" },
        { path: "LOG_LEVEL", reason: "Invalid option" },
      ],
    });
  });

  it("calls a response that fails the contract a version mismatch", () => {
    const parsed = z.object({ id: z.string() }).safeParse({});
    expect(describeError(parsed.error, URL)).toMatchObject({ exitCode: 5, code: "BAD_RESPONSE" });
  });

  it("anything else is an unexpected error (exit 1)", () => {
    expect(describeError(new Error("oops"), URL)).toMatchObject({ exitCode: 1, message: "unexpected error: oops" });
  });
});

describe("formatErrorReport", () => {
  it("prints message, code, details, request id and hint", () => {
    const r = describeError(
      api(400, "INVALID_INPUT", { details: [{ path: "body.directory", reason: "not an existing directory" }] }),
      URL,
    );
    expect(formatErrorReport(r, createColors(false)).split("\n")).toEqual([
      "error: INVALID_INPUT happened",
      "  code       INVALID_INPUT (HTTP 400)",
      "  body.directory: not an existing directory",
      "  request id req-1",
      "  hint       fix the fields named above; `--help` lists each option",
    ]);
  });

  it("does not repeat a detail the message already says", () => {
    const out = formatErrorReport(
      describeError(
        new UsageError("invalid --priority: must be one of a, b", {
          details: [{ path: "--priority", reason: "must be one of a, b" }],
        }),
        URL,
      ),
      createColors(false),
    );
    expect(out).toBe("error: invalid --priority: must be one of a, b");
  });
});
