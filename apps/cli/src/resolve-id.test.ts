import { describe, expect, it } from "vitest";
import { CliError, UsageError } from "./cli-error";
import { resolveApiKeyId, resolveId, resolveTaskId, type IdLookup } from "./resolve-id";

interface Row {
  id: string;
  name: string;
}

const rows: Row[] = [
  { id: "3f2a1b2c-0000-4000-8000-000000000001", name: "auditor" },
  { id: "3f2a9999-0000-4000-8000-000000000002", name: "beef" },
  { id: "beef0000-0000-4000-8000-000000000003", name: "coder" },
];

/** The list API over `rows`, two per page, counting the pages asked for. */
function lookup(named: boolean): IdLookup<Row> & { pages: number } {
  const l = {
    noun: "agent",
    listCommand: "orchestrator agents ls",
    pages: 0,
    page: async (cursor: string | undefined) => {
      l.pages++;
      const from = Number(cursor ?? 0);
      return { items: rows.slice(from, from + 2), nextCursor: from + 2 < rows.length ? String(from + 2) : null };
    },
    ...(named ? { name: (r: Row) => r.name } : {}),
  };
  return l;
}

async function failure(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CliError) return e;
  }
  throw new Error("expected a CliError");
}

describe("resolveId", () => {
  it("takes a full UUID as it is, without asking the server", async () => {
    const l = lookup(true);
    expect(await resolveId(l, " 3F2A1B2C-0000-4000-8000-000000000001 ")).toBe(rows[0]!.id);
    expect(l.pages).toBe(0);
  });

  it("finds a unique id prefix across pages, dashes ignored", async () => {
    expect(await resolveId(lookup(false), "beef")).toBe(rows[2]!.id);
    expect(await resolveId(lookup(false), "3f2a-1b")).toBe(rows[0]!.id);
  });

  it("prefers an exact name to an id prefix, and stops paging once found", async () => {
    const l = lookup(true);
    expect(await resolveId(l, "beef")).toBe(rows[1]!.id);
    expect(l.pages).toBe(1);
    expect(await resolveId(lookup(true), "coder")).toBe(rows[2]!.id);
  });

  it("reports an ambiguous prefix as a usage error listing the candidates", async () => {
    const e = await failure(resolveId(lookup(false), "3f2a"));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe("id prefix 3f2a is ambiguous: it matches 2 agents");
    expect(e.details.map((d) => d.reason)).toEqual([`could be ${rows[0]!.id}`, `could be ${rows[1]!.id}`]);
  });

  it("reports no match as not found (exit 3), saying what was tried", async () => {
    const named = await failure(resolveId(lookup(true), "nobody"));
    expect(named).toMatchObject({
      exitCode: 3,
      message: "no agent is named nobody",
      suggestion: expect.stringContaining("orchestrator agents ls"),
    });
    expect((await failure(resolveId(lookup(true), "abcd"))).message).toBe(
      "no agent is named abcd or has an id starting with abcd",
    );
    expect((await failure(resolveId(lookup(false), "abcd"))).message).toBe("no agent id starts with abcd");
  });

  it("refuses what can be neither an id nor a prefix when the kind has no names", async () => {
    const e = await failure(resolveId(lookup(false), "auditor"));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('invalid <id> "auditor": must be an agent UUID or the first 4+ hex digits of one');
  });
});

describe("resolveTaskId", () => {
  it("names the option the id was given to", async () => {
    const client = {
      baseUrl: "http://test",
      call: async () => ({ items: [], nextCursor: null, total: 0 }),
    } as unknown as Parameters<typeof resolveTaskId>[0];
    const missing = await failure(resolveTaskId(client, "abcd1234", "--parent"));
    expect(missing.message).toBe("--parent: no task id starts with abcd1234");
    expect(missing.exitCode).toBe(3);
    const bad = await failure(resolveTaskId(client, "design", "--depends-on"));
    expect(bad).toBeInstanceOf(CliError);
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toBe('invalid --depends-on "design": must be a task UUID or the first 4+ hex digits of one');
    expect(bad.details).toEqual([{ path: "--depends-on", reason: "must be a UUID or a hex id prefix" }]);
  });
});

describe("resolveApiKeyId", () => {
  const keys = [
    { id: "3f2a1b2c-0000-4000-8000-000000000001", prefix: "abcdefghijkl" },
    { id: "beef0000-0000-4000-8000-000000000002", prefix: "mnopqrstuvwx" },
  ];
  const queries: unknown[] = [];
  const client = {
    baseUrl: "http://test",
    call: async (_name: string, input: { query: unknown }) => {
      queries.push(input.query);
      return { items: keys, nextCursor: null, total: keys.length };
    },
  } as unknown as Parameters<typeof resolveApiKeyId>[0];

  it("finds a key by its prefix as keys ls shows it, by a pasted key (its secret never sent), or by id prefix; revoked keys included", async () => {
    expect(await resolveApiKeyId(client, "mnopqrstuvwx")).toBe(keys[1]!.id);
    expect(await resolveApiKeyId(client, "io_mnopqrstuvwx")).toBe(keys[1]!.id);
    expect(await resolveApiKeyId(client, "io_abcdefghijkl_SECRETSECRET")).toBe(keys[0]!.id);
    expect(await resolveApiKeyId(client, "beef")).toBe(keys[1]!.id);
    expect(JSON.stringify(queries)).not.toContain("SECRET");
    expect(queries[0]).toMatchObject({ all: "true" });
  });
});
