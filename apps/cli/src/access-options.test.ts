import { describe, expect, it } from "vitest";
import { z } from "zod";
import { computeTimeArg, keyPrefixOf, timeOption } from "./access-options";
import { parseOptions } from "./options";

const now = new Date("2026-11-22T03:25:23.000Z");

describe("computeTimeArg", () => {
  it("counts durations forwards for an expiry and backwards for --since", () => {
    expect(computeTimeArg("30d", now, "after")).toEqual({ ok: true, iso: "2026-12-22T03:25:23.000Z" });
    expect(computeTimeArg("2w", now, "after")).toEqual({ ok: true, iso: "2026-12-06T03:25:23.000Z" });
    expect(computeTimeArg("12h", now, "before")).toEqual({ ok: true, iso: "2026-11-21T15:25:23.000Z" });
    expect(computeTimeArg(" 90m ", now, "before")).toEqual({ ok: true, iso: "2026-11-22T01:55:23.000Z" });
  });

  it("takes ISO dates and date-times; a date alone is midnight UTC", () => {
    expect(computeTimeArg("2027-01-31", now, "after")).toEqual({ ok: true, iso: "2027-01-31T00:00:00.000Z" });
    expect(computeTimeArg("2027-01-31T18:00Z", now, "after")).toEqual({ ok: true, iso: "2027-01-31T18:00:00.000Z" });
    expect(computeTimeArg("2027-01-31T18:00:00+02:00", now, "after")).toEqual({
      ok: true,
      iso: "2027-01-31T16:00:00.000Z",
    });
  });

  it("refuses what is neither (bare numbers too, which Date.parse would take), and zero", () => {
    for (const bad of ["1", "30", "30 days", "tomorrow", "2027-13-45", "-1d"])
      expect(computeTimeArg(bad, now, "after").ok, bad).toBe(false);
    expect(computeTimeArg("0d", now, "after")).toEqual({ ok: false, reason: "must be more than 0" });
  });
});

describe("timeOption", () => {
  const Schema = z.object({ expires: timeOption(now, "after", { future: true }).optional() });
  it("parses through parseOptions, naming the option; an expiry must be in the future", () => {
    expect(parseOptions(Schema, { expires: "1d" })).toEqual({ expires: "2026-11-23T03:25:23.000Z" });
    expect(() => parseOptions(Schema, { expires: "2020-01-01" })).toThrow(
      "invalid --expires: must be in the future (it is 2020-01-01T00:00:00.000Z)",
    );
    expect(() => parseOptions(Schema, { expires: "soon" })).toThrow(/^invalid --expires: must be a duration/);
  });
});

describe("keyPrefixOf", () => {
  it("takes a prefix, io_<prefix>, or a whole key (whose secret is dropped)", () => {
    expect(keyPrefixOf("abcdefghijkl")).toBe("abcdefghijkl");
    expect(keyPrefixOf("io_abcdefghijkl")).toBe("abcdefghijkl");
    expect(keyPrefixOf(" io_abcdefghijkl_SECRETsecret ")).toBe("abcdefghijkl");
    expect(keyPrefixOf("3f2a1b2c")).toBe("3f2a1b2c");
  });
});
