import { describe, expect, it } from "vitest";
import { listParam, toggle } from "./list-param";

describe("list params", () => {
  it("keeps known values in the allowed order", () => {
    expect(listParam("failed,bogus,running", ["running", "failed"])).toEqual(["running", "failed"]);
    expect(listParam(null, ["running"])).toEqual([]);
  });

  it("toggles keep the canonical order", () => {
    expect(toggle(["failed"], "running", ["running", "failed"])).toEqual(["running", "failed"]);
    expect(toggle(["running", "failed"], "running", ["running", "failed"])).toEqual(["failed"]);
  });
});
