import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The lint rule that keeps SQL in @industrial/db (eslint.config.js): a
// statement in a string anywhere else in the packages and apps fails
// `npm run lint` at its file and line (CI runs it over the whole tree). This
// checks that the rule catches what it should, and only that.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const eslint = new ESLint({ cwd: ROOT });

async function sqlProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax").map((m) => `${path}:${m.line}`);
}

const SERVICE = [
  'import type { Queryable } from "@industrial/db";',
  "export const count = (q: Queryable, id: string) =>",
  '  q.query("SELECT count(*) FROM sessions WHERE tenant_id = $1", [id]);',
  "export const rename = (column: string) => `UPDATE sessions SET ${column} = $2 WHERE id = $1`;",
  "export const lock = 'SELECT 1 FOR NO KEY UPDATE';",
  'export const prose = "Select a session from the list, then update its title";',
  "",
].join("\n");

describe("SQL lives only in @industrial/db", () => {
  it("names the file and line of SQL in a service or the scheduler", async () => {
    expect(await sqlProblems("apps/server/src/services/example.ts", SERVICE)).toEqual([
      "apps/server/src/services/example.ts:3",
      "apps/server/src/services/example.ts:4",
      "apps/server/src/services/example.ts:5",
    ]);
    expect(
      await sqlProblems(
        "packages/scheduler/src/example.ts",
        "export const q = `\n  DELETE FROM attempts WHERE id = $1`;\n",
      ),
    ).toEqual(["packages/scheduler/src/example.ts:1"]);
  }, 30_000);

  it("lets @industrial/db, tests and test harnesses hold SQL", async () => {
    expect(await sqlProblems("packages/db/src/example.ts", SERVICE)).toEqual([]);
    expect(await sqlProblems("apps/server/src/example.int.test.ts", SERVICE)).toEqual([]);
    expect(await sqlProblems("apps/server/src/testing/example.ts", SERVICE)).toEqual([]);
  }, 30_000);
});
