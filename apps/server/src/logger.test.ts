import { Writable } from "node:stream";
import { runWithRequest } from "@industrial/db";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, destination, objects: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("the logger", () => {
  it("writes one JSON object per line with the request id of the request being served, and none outside one", async () => {
    const c = capture();
    const log = createLogger("info", { replica: "r1" }, { destination: c.destination });
    runWithRequest("req-42", () => log.child({ component: "api" }).info({ sessionId: "s1" }, "inside"));
    await runWithRequest("req-43", async () => {
      await new Promise((r) => setTimeout(r, 5));
      log.info("after an await");
    });
    log.info("outside");
    const [inside, later, outside] = c.objects();
    expect(inside).toMatchObject({
      level: 30,
      msg: "inside",
      requestId: "req-42",
      replica: "r1",
      component: "api",
      sessionId: "s1",
    });
    expect(typeof inside!.time).toBe("string");
    expect(later).toMatchObject({ msg: "after an await", requestId: "req-43" });
    expect(outside!.requestId).toBeUndefined();
  });

  it("redacts secrets by key at any of the first three levels and masks credentials inside URLs", () => {
    const c = capture();
    const log = createLogger("info", {}, { destination: c.destination });
    log.info(
      {
        password: "p1",
        runner: { token: "t1", headers: { authorization: "Basic abc" } },
        url: "postgres://app:hunter2@db:5432/x",
        DATABASE_URL: "postgres://a:b@c/d",
      },
      "connecting to http://opencode:s3cret@10.0.0.1:4096 and redis://:r3dis@cache:6379",
    );
    const line = c.lines[0]!;
    for (const secret of ["p1", "t1", "Basic abc", "hunter2", "s3cret", "r3dis", "a:b@"])
      expect(line).not.toContain(secret);
    const o = JSON.parse(line) as {
      password: string;
      runner: { token: string; headers: { authorization: string } };
      url: string;
      msg: string;
    };
    expect(o.password).toBe("[redacted]");
    expect(o.runner.token).toBe("[redacted]");
    expect(o.runner.headers.authorization).toBe("[redacted]");
    expect(o.url).toBe("postgres://app:[redacted]@db:5432/x");
    expect(o.msg).toBe("connecting to http://opencode:[redacted]@10.0.0.1:4096 and redis://:[redacted]@cache:6379");
  });

  it("prints one readable line per entry when asked for pretty output, secrets still redacted", () => {
    const c = capture();
    const log = createLogger("info", { replica: "r1" }, { format: "pretty", destination: c.destination });
    runWithRequest("req-7", () => log.info({ sessionId: "s1", password: "p1" }, "session created"));
    expect(c.lines).toHaveLength(1);
    expect(() => JSON.parse(c.lines[0]!)).toThrow();
    expect(c.lines[0]).toMatch(/INFO.*session created.*"sessionId":"s1"/);
    expect(c.lines[0]).toContain('"requestId":"req-7"');
    expect(c.lines[0]).not.toContain("p1");
  });
});
