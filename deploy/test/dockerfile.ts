/**
 * A Dockerfile read into stages and instructions: comments dropped, line
 * continuations joined, `FROM image AS name` starting a stage. Enough to
 * check what a Dockerfile does without a Docker engine.
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, … */
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | null;
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM (usable in FROM lines). */
  globalArgs: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const start = i;
    let joined = line;
    // A trailing backslash continues the instruction; comment lines inside it are skipped.
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      joined = joined.replace(/\\\s*$/, " ");
      i++;
      if (!/^\s*#/.test(lines[i]!)) joined += lines[i]!;
    }
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(joined);
    if (!m) throw new Error(`line ${start + 1}: not an instruction: ${line}`);
    instructions.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  const result: Dockerfile = { globalArgs: [], stages: [] };
  for (const ins of instructions) {
    if (ins.op === "FROM") {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: bad FROM: ${ins.args}`);
      result.stages.push({ base: m[1]!, name: m[2] ?? null, instructions: [] });
    } else if (!result.stages.length) {
      if (ins.op !== "ARG") throw new Error(`line ${ins.line}: ${ins.op} before the first FROM`);
      result.globalArgs.push(ins);
    } else result.stages.at(-1)!.instructions.push(ins);
  }
  return result;
}

/** Instructions of one kind in a stage. */
export const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op);

/** The exec-form (JSON array) arguments of CMD/ENTRYPOINT/HEALTHCHECK CMD, or the shell form as one string. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  if (args.includes("[")) {
    try {
      return JSON.parse(json) as string[];
    } catch {
      /* shell form that contains a bracket */
    }
  }
  return [args];
}

/** The stages a stage copies from (`COPY --from=x`) or builds on (`FROM x`). */
export function stageInputs(df: Dockerfile, stage: Stage): string[] {
  const names = new Set(df.stages.map((s) => s.name));
  const from = ops(stage, "COPY")
    .map((c) => /--from=(\S+)/.exec(c.args)?.[1])
    .filter((x): x is string => Boolean(x));
  return [...(names.has(stage.base) ? [stage.base] : []), ...from];
}
