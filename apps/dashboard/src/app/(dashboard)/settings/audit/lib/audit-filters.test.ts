import { describe, expect, it } from "vitest";
import {
  auditFiltersToQuery,
  auditFiltersToSearch,
  describeActor,
  EMPTY_AUDIT_FILTERS,
  isoToLocalInput,
  localInputToIso,
  parseAuditFilters,
} from "./audit-filters";

describe("audit log filters", () => {
  it("round-trips through the URL, empty filters left out", () => {
    const params = new URLSearchParams(
      "actor=key:abc&action=createApiKey&target=%2Fapi%2Fv1%2Fapi-keys&from=2026-01-01T00:00:00.000Z&cursor=c1&junk=1",
    );
    const f = parseAuditFilters(params);
    expect(f).toEqual({
      actor: "key:abc",
      action: "createApiKey",
      target: "/api/v1/api-keys",
      from: "2026-01-01T00:00:00.000Z",
      to: "",
      cursor: "c1",
    });
    expect(parseAuditFilters(new URLSearchParams(auditFiltersToSearch(f)))).toEqual(f);
    expect(auditFiltersToSearch(EMPTY_AUDIT_FILTERS)).toBe("");
  });

  it("trims what was typed and sends only the filters that are set", () => {
    const f = parseAuditFilters(new URLSearchParams("actor=%20%20&target=%20sessions%20"));
    expect(auditFiltersToQuery(f, 50)).toEqual({ limit: 50, target: "sessions" });
    expect(auditFiltersToQuery({ ...f, cursor: "n" }, 25)).toEqual({ limit: 25, target: "sessions", cursor: "n" });
  });

  it("converts datetime-local fields to ISO instants and back, leaving what is not a date as typed", () => {
    const iso = localInputToIso("2026-03-04T05:06");
    expect(iso).toMatch(/^2026-03-0[345]T\d\d:06:00\.000Z$/);
    expect(isoToLocalInput(iso)).toBe("2026-03-04T05:06");
    expect(localInputToIso("")).toBe("");
    expect(localInputToIso("yesterday")).toBe("yesterday");
    expect(isoToLocalInput("yesterday")).toBe("yesterday");
  });

  it("names actors it knows and shortens the rest", () => {
    const names = { keys: new Map([["k1", "ci"]]), users: new Map([["u1", "Ada"]]) };
    expect(describeActor("key:k1", names)).toBe("key ci");
    expect(describeActor("user:u1", names)).toBe("user Ada");
    expect(describeActor("key:0123456789abcdef", names)).toBe("key 01234567…");
    expect(describeActor("anonymous", names)).toBe("anonymous");
  });
});
