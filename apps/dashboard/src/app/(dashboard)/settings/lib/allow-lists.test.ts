import { describe, expect, it } from "vitest";
import { allowListErrorAt, fromAllowListForm, toAllowListForm } from "./allow-lists";

describe("tenant allow-lists in the settings form", () => {
  it("null is any, a list is its lines, [] is none", () => {
    expect(toAllowListForm(null)).toEqual({ any: true, text: "" });
    expect(toAllowListForm(["a/b", "c/d"])).toEqual({ any: false, text: "a/b\nc/d" });
    expect(toAllowListForm([])).toEqual({ any: false, text: "" });
  });

  it("sends null for any (whatever was typed), else the trimmed non-empty lines in order", () => {
    expect(fromAllowListForm({ any: true, text: "a/b" })).toBeNull();
    expect(fromAllowListForm({ any: false, text: "  a/b \n\n\r\nc/d\n" })).toEqual(["a/b", "c/d"]);
    expect(fromAllowListForm({ any: false, text: " \n " })).toEqual([]);
    for (const list of [null, [], ["x/y", "https://git.example.com/team/"]])
      expect(fromAllowListForm(toAllowListForm(list))).toEqual(list);
  });

  it("names the entry the API refused, the field's own error first", () => {
    const sent = ["https://ok.example.com/", "ftp://nope"];
    expect(
      allowListErrorAt({ "allowedRepositoryPrefixes.1": "only network git URLs" }, "allowedRepositoryPrefixes", sent),
    ).toBe('"ftp://nope": only network git URLs');
    expect(allowListErrorAt({ "allowedRepositoryPrefixes.7": "bad" }, "allowedRepositoryPrefixes", sent)).toBe(
      "entry 8: bad",
    );
    expect(allowListErrorAt({ allowedModels: "too many", "allowedModels.0": "bad" }, "allowedModels", ["a"])).toBe(
      "too many",
    );
    expect(allowListErrorAt({ "allowedModelsX.0": "bad", retentionDays: "x" }, "allowedModels", ["a"])).toBeUndefined();
  });
});
