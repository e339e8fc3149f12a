import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSealed, openSecret, sealSecret } from "./secret-box";

describe("secret box", () => {
  const key = randomBytes(32);

  it("round-trips and never shows the plain text", () => {
    const sealed = sealSecret(key, "hunter2-runner-password");
    expect(sealed).not.toContain("hunter2");
    expect(isSealed(sealed)).toBe(true);
    expect(openSecret(key, sealed)).toBe("hunter2-runner-password");
    expect(sealSecret(key, "same")).not.toBe(sealSecret(key, "same"));
  });

  it("refuses another key, an altered value and plain text", () => {
    const sealed = sealSecret(key, "pw");
    expect(() => openSecret(randomBytes(32), sealed)).toThrow();
    const parts = sealed.split(":");
    parts[4] = Buffer.from("xx").toString("base64url");
    expect(() => openSecret(key, parts.join(":"))).toThrow();
    expect(isSealed("plain")).toBe(false);
    expect(() => openSecret(key, "plain")).toThrow(/not a sealed value/);
  });
});
