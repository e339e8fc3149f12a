import { describe, expect, it } from "vitest";
import { classifyOpenCodeError } from "./classify-error";

describe("classifyOpenCodeError", () => {
  it("does not retry a provider 400", () => {
    expect(
      classifyOpenCodeError({ name: "APIError", data: { statusCode: 400, isRetryable: false, message: "bad" } }),
    ).toMatchObject({ code: "PROVIDER_ERROR", retryable: false });
  });
  it("retries 429 and 5xx", () => {
    expect(
      classifyOpenCodeError({ name: "APIError", data: { statusCode: 503, isRetryable: true, message: "x" } }).retryable,
    ).toBe(true);
    expect(classifyOpenCodeError({ name: "APIError", data: { statusCode: 429, message: "x" } }).retryable).toBe(true);
  });
  it("explains how to configure a model", () => {
    const e = classifyOpenCodeError({ name: "ProviderModelNotFoundError", data: { message: "x/y" } });
    expect(e).toMatchObject({ code: "NO_MODEL", retryable: false });
    expect(e.message).toContain("ORCHESTRATOR_DEFAULT_MODEL");
  });
});
