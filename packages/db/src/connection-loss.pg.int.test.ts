import { classifyOutage, isOutageError } from "@industrial/core";
import { createTestDatabase, startTcpProxy, throughProxy, type TcpProxy, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "./create-database";
import type { Database } from "./database";

let t: TestDatabase;
let proxy: TcpProxy;
let db: Database;

beforeAll(async () => {
  t = await createTestDatabase("postgres");
  const u = new URL(t.url!);
  proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  db = await createDatabase({ kind: "postgres", url: throughProxy(t.url!, proxy), poolSize: 3 });
});

afterAll(async () => {
  await db?.close().catch(() => undefined);
  await proxy?.close();
  await t?.drop();
});

const settle = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe("the PostgreSQL pool across a lost server", () => {
  it("fails a transaction whose connection ends between two of its queries, without crashing the process", async () => {
    const error = await settle(
      db.transaction(async (tx) => {
        await tx.query("SELECT 1");
        // The connection ends while the transaction does other work: node-postgres emits 'error' on the checked-out client.
        await proxy.cut();
        await new Promise((r) => setTimeout(r, 100));
        return tx.query("SELECT 2");
      }),
    );
    expect(isOutageError(error)).toBe(true);
  });

  it("reports refused connections as an outage while the server is away", async () => {
    expect(classifyOutage(await settle(db.query("SELECT 1")))).toBe("connection refused");
    expect(classifyOutage(await settle(db.transaction((tx) => tx.query("SELECT 1"))))).toBe("connection refused");
  });

  it("connects anew when it returns, idle connections cut under it dropped", async () => {
    await proxy.restore();
    // Fill the pool with idle connections, cut them all, bring the server back: none of them is handed out again.
    await Promise.all([1, 2, 3].map(() => db.transaction((tx) => tx.query("SELECT pg_sleep(0.05)"))));
    await proxy.outage(200);
    const before = proxy.accepted;
    expect(await db.query<{ n: number }>("SELECT 1 AS n")).toEqual([{ n: 1 }]);
    expect(await db.transaction((tx) => tx.query<{ n: number }>("SELECT 2 AS n"))).toEqual([{ n: 2 }]);
    expect(proxy.accepted).toBeGreaterThan(before);
  });
});
