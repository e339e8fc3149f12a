import { describe, expect, it } from "vitest";
import { computeDiffTokens } from "./diff-highlight";
import {
  computeFilePlan,
  countHunkLines,
  languageOf,
  LARGE_FILE_LINES,
  OPEN_FILES_LIMIT,
  type DiffFileWire,
} from "./session-diff";

const file = (over: Partial<DiffFileWire>): DiffFileWire => ({
  path: "src/a.ts",
  oldPath: null,
  status: "modified",
  additions: 1,
  deletions: 1,
  patch: "",
  binary: false,
  truncated: false,
  ...over,
});

const MODIFIED = [
  "diff --git a/src/a.ts b/src/a.ts",
  "index 1111111..2222222 100644",
  "--- a/src/a.ts",
  "+++ b/src/a.ts",
  "@@ -1,3 +1,3 @@",
  " const a = 1;",
  "-const b = 2;",
  "+const b = 3;",
  " export { a, b };",
  "",
].join("\n");

const ADDED = [
  "diff --git a/new.py b/new.py",
  "new file mode 100644",
  "index 0000000..3333333",
  "--- /dev/null",
  "+++ b/new.py",
  "@@ -0,0 +1,2 @@",
  "+def f():",
  "+    return 1",
  "",
].join("\n");

const RENAMED = [
  "diff --git a/old.txt b/new.txt",
  "similarity index 100%",
  "rename from old.txt",
  "rename to new.txt",
  "",
].join("\n");

// Flattens a token tree to [class, text] pairs, as the cells will render them.
function flat(nodes: unknown[], cls = ""): [string, string][] {
  return (
    nodes as {
      type: string;
      value?: string;
      className?: string;
      properties?: { className?: string[] };
      children?: unknown[];
    }[]
  ).flatMap((n) => {
    if (n.type === "text") return [[cls, n.value ?? ""] as [string, string]];
    const own = n.className ?? n.properties?.className?.join(" ") ?? n.type;
    return flat(n.children ?? [], `${cls} ${own}`.trim());
  });
}

describe("computeFilePlan", () => {
  it("reads a modified file's hunk and its language", () => {
    const plan = computeFilePlan(file({ patch: MODIFIED }), 0);
    expect(plan.kind).toBe("text");
    if (plan.kind !== "text") return;
    expect(plan).toMatchObject({
      diffType: "modify",
      openAtFirst: true,
      large: false,
      truncated: false,
      language: "typescript",
    });
    expect(plan.hunks).toHaveLength(1);
    expect(plan.hunks[0]!.changes.map((c) => c.type)).toEqual(["normal", "delete", "insert", "normal"]);
    expect(countHunkLines(plan.hunks)).toBe(4);
  });

  it("reads an added file and a pure rename (no hunks)", () => {
    const added = computeFilePlan(
      file({ path: "new.py", status: "added", patch: ADDED, additions: 2, deletions: 0 }),
      0,
    );
    expect(added).toMatchObject({ kind: "text", diffType: "add", language: "python" });
    const renamed = computeFilePlan(
      file({ path: "new.txt", oldPath: "old.txt", status: "renamed", patch: RENAMED, additions: 0, deletions: 0 }),
      0,
    );
    expect(renamed).toMatchObject({ kind: "text", diffType: "rename", hunks: [], language: null });
  });

  it("names a binary file and draws nothing of it", () => {
    expect(
      computeFilePlan(
        file({ path: "logo.png", binary: true, patch: "Binary files differ", additions: 0, deletions: 0 }),
        0,
      ),
    ).toEqual({ kind: "binary", openAtFirst: false });
  });

  it("folds a large file, a truncated one and files far down the list", () => {
    const big = computeFilePlan(file({ patch: MODIFIED, additions: LARGE_FILE_LINES, deletions: 1 }), 0);
    expect(big).toMatchObject({ large: true, openAtFirst: false });
    expect(computeFilePlan(file({ patch: MODIFIED, additions: LARGE_FILE_LINES, deletions: 0 }), 0)).toMatchObject({
      large: false,
      openAtFirst: true,
    });
    expect(computeFilePlan(file({ patch: MODIFIED }), OPEN_FILES_LIMIT - 1)).toMatchObject({ openAtFirst: true });
    expect(computeFilePlan(file({ patch: MODIFIED }), OPEN_FILES_LIMIT)).toMatchObject({
      openAtFirst: false,
      large: false,
    });
  });

  it("drops the server's truncation note and keeps the hunk as far as it goes", () => {
    const cut = `${MODIFIED.split("\n").slice(0, 7).join("\n")}\n\n[patch truncated: 300000 bytes, limit 204800]\n`;
    const plan = computeFilePlan(file({ patch: cut, truncated: true }), 0);
    if (plan.kind !== "text") throw new Error("expected text");
    expect(plan).toMatchObject({ truncated: true, large: true, openAtFirst: false });
    const texts = plan.hunks.flatMap((h) => h.changes.map((c) => c.content));
    expect(texts.some((t) => t.includes("patch truncated"))).toBe(false);
    expect(texts).toContain("const b = 2;");
  });

  it("shows a patch it cannot read as no hunks instead of failing", () => {
    expect(computeFilePlan(file({ patch: "not a diff" }), 0)).toMatchObject({
      kind: "text",
      hunks: [],
      diffType: "modify",
    });
  });
});

describe("languageOf", () => {
  it("maps extensions and extension-less file names, case-insensitively", () => {
    expect(languageOf("apps/x/Page.TSX")).toBe("tsx");
    expect(languageOf("Dockerfile")).toBe("docker");
    expect(languageOf("a/b/Makefile")).toBe("makefile");
    expect(languageOf(".env")).toBeNull();
    expect(languageOf("notes.unknownext")).toBeNull();
  });
});

describe("computeDiffTokens", () => {
  it("highlights through refractor and marks the changed characters of an edited line", () => {
    const plan = computeFilePlan(file({ patch: MODIFIED }), 0);
    if (plan.kind !== "text") throw new Error("expected text");
    const tokens = computeDiffTokens(plan.hunks, plan.language)!;
    // Old side, line 2 ("const b = 2;"), new side, line 2 ("const b = 3;"): hunk line numbers are 1-based.
    const oldLine = flat(tokens.old[1]!);
    const newLine = flat(tokens.new[1]!);
    expect(oldLine.map(([, t]) => t).join("")).toBe("const b = 2;");
    expect(newLine.map(([, t]) => t).join("")).toBe("const b = 3;");
    expect(newLine.find(([, t]) => t === "const")?.[0]).toContain("keyword");
    expect(newLine.find(([, t]) => t === "3")?.[0]).toContain("edit");
  });

  it("tokenizes without highlighting when the language is unknown", () => {
    const plan = computeFilePlan(
      file({ path: "notes.unknownext", patch: MODIFIED.replaceAll("src/a.ts", "notes.unknownext") }),
      0,
    );
    if (plan.kind !== "text") throw new Error("expected text");
    const tokens = computeDiffTokens(plan.hunks, plan.language)!;
    expect(
      flat(tokens.new[1]!)
        .map(([, t]) => t)
        .join(""),
    ).toBe("const b = 3;");
    expect(computeDiffTokens([], "typescript")).toBeNull();
  });
});
