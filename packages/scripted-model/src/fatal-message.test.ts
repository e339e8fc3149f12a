import { describe, expect, it } from "vitest";
import { looksRetryable, neutralizeFatalMessage } from "./fatal-message";

describe("neutralizeFatalMessage", () => {
  it("leaves neutral messages alone", () => {
    expect(neutralizeFatalMessage("scripted model: bad request (script step 2)")).toBe(
      "scripted model: bad request (script step 2)",
    );
    expect(neutralizeFatalMessage("invalid SCRIPT: step 0 must be an object")).toBe(
      "invalid SCRIPT: step 0 must be an object",
    );
  });

  it.each([
    "rate limit hit",
    "Too Many Requests",
    "the server_error happened",
    "Service Unavailable",
    "upstream overloaded",
    "request timed out",
    "timeout",
    "Unexpected token at position 1503",
    "prompt is too long",
    "input exceeds the context window",
    "please try again later",
    "ECONNRESET",
    "400 (no body)",
  ])("breaks retryable or overflow wording: %s", (message) => {
    expect(looksRetryable(message)).toBe(true);
    const out = neutralizeFatalMessage(message);
    expect(looksRetryable(out)).toBe(false);
    expect(out.replaceAll("_", "").toLowerCase()).toBe(message.replaceAll("_", "").toLowerCase());
  });
});
