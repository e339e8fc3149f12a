import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, filtersToQuery, filtersToSearch, nextSort, parseFilters } from "./filters";

describe("session filters in the URL", () => {
  it("round-trips through the query string", () => {
    const f = {
      ...EMPTY_FILTERS,
      status: ["running", "failed"] as const,
      priority: ["high"] as const,
      q: "fix bug",
      sort: "statusUpdatedAt" as const,
      cursor: "abc",
    };
    const s = filtersToSearch({ ...f, status: [...f.status], priority: [...f.priority] });
    expect(s).toBe("status=running,failed&priority=high&q=fix+bug&sort=statusUpdatedAt&cursor=abc");
    expect(parseFilters(new URLSearchParams(s))).toEqual({ ...f, status: ["running", "failed"], priority: ["high"] });
  });

  it("drops unknown values and bad ids instead of sending them", () => {
    const f = parseFilters(new URLSearchParams("status=running,bogus&status=paused&type=nope&agent=12&sort=evil"));
    expect(f.status).toEqual(["running", "paused"]);
    expect(f.type).toEqual([]);
    expect(f.agentId).toBeNull();
    expect(f.sort).toBe("-createdAt");
  });

  it("leaves defaults out of the URL and the API query", () => {
    expect(filtersToSearch(EMPTY_FILTERS)).toBe("");
    expect(filtersToQuery(EMPTY_FILTERS, 25)).toEqual({ limit: 25, sort: "-createdAt" });
  });

  it("sorting a column flips, another column starts descending", () => {
    expect(nextSort("-createdAt", "createdAt")).toBe("createdAt");
    expect(nextSort("createdAt", "createdAt")).toBe("-createdAt");
    expect(nextSort("createdAt", "statusUpdatedAt")).toBe("-statusUpdatedAt");
  });
});
