import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { routes } from "./routes";

// A client generated from /openapi.json by a standard generator (openapi-typescript),
// used through openapi-fetch as a third party would, must type-check against real calls:
// the document describes request and response shapes precisely enough to catch mistakes.

const REPO_NODE_MODULES = fileURLToPath(new URL("../../../node_modules", import.meta.url));

/** A small program written against the generated types; `// @ts-expect-error` lines must be errors. */
const USAGE = `
import createClient from "openapi-fetch";
import type { components, paths } from "./api";

type Session = components["schemas"]["Session"];

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8000", headers: { authorization: "Bearer io_example_secret" } });

export async function calls(): Promise<void> {
  const created = await client.POST("/api/v1/sessions", {
    body: { prompt: "Describe this project", title: "docs", priority: "high", tags: ["docs"], metadata: { ticket: { id: 7, labels: ["a"] } } },
  });
  if (created.data) {
    const session: Session = created.data;
    const id: string = session.id;
    const status: components["schemas"]["SessionStatus"] = session.status;
    void [id, status];
  } else if (created.error) {
    const code: string = created.error.error.code;
    void code;
  }

  const one = await client.GET("/api/v1/sessions/{id}", { params: { path: { id: "0b9f8a4e-5d0c-4c1e-9a57-3f1d2c3b4a59" } } });
  const title: string | undefined = one.data?.title;

  const keys = await client.GET("/api/v1/api-keys", { params: { query: { limit: 20 } } });
  const prefixes: string[] = keys.data?.items.map((k) => k.prefix) ?? [];
  const next: string | null | undefined = keys.data?.nextCursor;

  const me = await client.GET("/api/v1/me");
  const role: "viewer" | "member" | "lead" | "admin" | undefined = me.data?.role;

  const tree = await client.GET("/api/v1/tasks/{id}/tree", { params: { path: { id: "0b9f8a4e-5d0c-4c1e-9a57-3f1d2c3b4a59" } } });
  const grandchildren: number | undefined = tree.data?.root.children[0]?.children.length;
  void [title, prefixes, next, role, grandchildren];

  // @ts-expect-error the prompt is a string, not a number
  await client.POST("/api/v1/sessions", { body: { prompt: 42 } });
  // @ts-expect-error creating a session needs a body
  await client.POST("/api/v1/sessions", {});
  // Actions take no body.
  await client.POST("/api/v1/sessions/{id}/pause", { params: { path: { id: "0b9f8a4e-5d0c-4c1e-9a57-3f1d2c3b4a59" } } });
  // @ts-expect-error a session has no "owner" field
  const owner: string | undefined = one.data?.owner;
  // @ts-expect-error a path parameter is required
  await client.GET("/api/v1/sessions/{id}", {});
  // @ts-expect-error no such route
  await client.GET("/api/v1/session");
  void owner;
}
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "openapi-client-"));
  // The temporary project resolves openapi-fetch and @types/node from the repository's own install.
  await symlink(REPO_NODE_MODULES, join(dir, "node_modules"), "dir");
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Type-check `files` (written into the temporary project) as the repository compiles its own code. */
async function typeCheck(files: Record<string, string>): Promise<string[]> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(dir, name)),
    {
      target: ts.ScriptTarget.ES2023,
      lib: ["lib.es2023.d.ts"],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
    },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} `
        : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

describe("a client generated from the OpenAPI document", () => {
  it("type-checks real calls and rejects wrong ones", { timeout: 60_000 }, async () => {
    const document = buildOpenApiDocument(routes, {
      title: "Industrial Orchestrator API",
      version: "0.0.0-test",
    }) as unknown as OpenAPI3;
    const api = astToString(await openapiTS(document, { silent: true }));
    expect(api).toContain("export interface paths");

    expect(await typeCheck({ "api.d.ts": api, "usage.ts": USAGE })).toEqual([]);

    // The same calls with the expectation removed: the mistake is reported, so the check above is not vacuous.
    const wrong = USAGE.replace("// @ts-expect-error the prompt is a string, not a number\n", "");
    const problems = await typeCheck({ "api.d.ts": api, "usage.ts": wrong });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/usage\.ts:\d+ .*number.*string/s);
  });
});
