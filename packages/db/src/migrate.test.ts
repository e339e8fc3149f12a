import { describe, expect, it } from "vitest";
import { splitStatements } from "./migrate";

describe("splitStatements", () => {
  it("splits on a semicolon at a line's end and skips comment lines", () => {
    expect(splitStatements("-- a comment\nCREATE TABLE a (x int);\n\nALTER TABLE a\n  ADD COLUMN y int;\n")).toEqual([
      "CREATE TABLE a (x int)",
      "ALTER TABLE a\n  ADD COLUMN y int",
    ]);
  });

  it("keeps a dollar-quoted body whole, its own semicolons and comments included", () => {
    const sql =
      "DO $$\nBEGIN\n  -- inside\n  CREATE ROLE r;\nEND\n$$;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nGRANT r TO current_user;";
    expect(splitStatements(sql)).toEqual([
      "DO $$\nBEGIN\n  -- inside\n  CREATE ROLE r;\nEND\n$$",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
      "GRANT r TO current_user",
    ]);
  });
});
