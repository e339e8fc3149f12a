import { describe, expect, it } from "vitest";
import { createSseParser } from "./sse-parser";

const parseAll = (chunks: string[]) => {
  const out: string[] = [];
  const parser = createSseParser((d) => out.push(d));
  for (const c of chunks) parser.push(c);
  return out;
};

describe("createSseParser", () => {
  it("emits one data payload per event", () => {
    expect(parseAll(['data: {"a":1}\n\ndata: {"b":2}\n\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("reassembles events split anywhere, including inside CRLF", () => {
    const text = 'data: {"type":"x"}\r\n\r\ndata:second\r\n\r\n';
    for (let i = 1; i < text.length; i++)
      expect(parseAll([text.slice(0, i), text.slice(i)])).toEqual(['{"type":"x"}', "second"]);
    expect(parseAll(text.split(""))).toEqual(['{"type":"x"}', "second"]);
  });

  it("joins multi-line data, ignores comments and other fields, and waits for the blank line", () => {
    expect(parseAll([": keepalive\n\nid: 1\nevent: x\ndata: a\ndata:  b\nretry: 5\n\n"])).toEqual(["a\n b"]);
    expect(parseAll(["data: incomplete\n"])).toEqual([]);
    expect(parseAll(["data\n\n"])).toEqual([""]);
  });

  it("accepts lone CR line endings", () => {
    expect(parseAll(["data: x\r\r", "data: y\r\rdata: z"])).toEqual(["x", "y"]);
  });
});
