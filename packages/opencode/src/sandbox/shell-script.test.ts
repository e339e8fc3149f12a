import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { policyFileName, policyFileText, shellQuote } from "./shell-script";

// bash computes the same name from $PWD as the replica does from the folder.
function bashName(path: string): string {
  return execFileSync("bash", ["-c", 'd=$1; k=${d//_/_u}; k=${k//\\//_s}; printf %s "$k.sh"', "bash", path], {
    encoding: "utf8",
  });
}

describe("policy file names", () => {
  const paths = ["/data/worktrees/abcd1234", "/a/b_c", "/a_b/c", "/a/b_sc", "/tmp/x y/'q'", "/ünï/cødé", "/"];
  it("bash and the replica name a folder's policy file alike", () => {
    for (const p of paths) expect(bashName(p), p).toBe(policyFileName(p));
  });
  it("two folders never share a name", () => {
    expect(new Set(paths.map(policyFileName)).size).toBe(paths.length);
  });
});

describe("policy file text", () => {
  it("bash reads back every argument as written, quotes and spaces included", () => {
    const args = ["--bind", "/tmp/it's here", "/tmp/it's here", "--setenv", "X", "$(echo injected)", "a\nb"];
    const text = policyFileText({ root: "/tmp/it's here", ulimits: ["-v 1024", "-u 16"], bwrapArgs: args });
    const echoed = execFileSync(
      "bash",
      ["-c", `${text}\nprintf '%s\\0' "\${SANDBOX_ARGS[@]}"; printf '|%s' "\${SANDBOX_ULIMITS[@]}"`],
      { encoding: "utf8" },
    );
    const [joined, limits] = [
      echoed.slice(0, echoed.lastIndexOf("\0") + 1),
      echoed.slice(echoed.lastIndexOf("\0") + 1),
    ];
    expect(joined.split("\0").slice(0, -1)).toEqual(args);
    expect(limits).toBe("|-v|1024|-u|16");
  });
  it("shellQuote survives single quotes", () => {
    expect(execFileSync("bash", ["-c", `printf %s ${shellQuote("a'b'c")}`], { encoding: "utf8" })).toBe("a'b'c");
  });
});
