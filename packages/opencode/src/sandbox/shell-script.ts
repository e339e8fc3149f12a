/**
 * The sandbox shell (docs/sandbox.md): what a managed runner's SHELL points
 * at, so that OpenCode runs every bash tool command as `<it> -c <command>`
 * in the command's working directory. It finds the session that owns the
 * working directory (the nearest folder up with a policy file), applies the
 * policy's limits and execs bubblewrap with the policy's arguments. A
 * directory no session owns runs nothing: it never falls back to running
 * outside the sandbox.
 */

/** The policy file's name for a session folder: injective (`_` → `_u`, then `/` → `_s`), and computed the same way in bash. */
export function policyFileName(root: string): string {
  return `${root.replaceAll("_", "_u").replaceAll("/", "_s")}.sh`;
}

/** A word for bash: single-quoted, its quotes escaped. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The policy file the shell sources: the limits and bwrap's arguments for one session folder. */
export function policyFileText(input: {
  root: string;
  ulimits: readonly string[];
  bwrapArgs: readonly string[];
}): string {
  return [
    `# Sandbox policy of ${input.root.replace(/[\r\n]/g, " ")} (written by Industrial Orchestrator; see docs/sandbox.md)`,
    `SANDBOX_ULIMITS=(${input.ulimits
      .flatMap((l) => l.split(" "))
      .map(shellQuote)
      .join(" ")})`,
    `SANDBOX_ARGS=(${input.bwrapArgs.map(shellQuote).join(" ")})`,
    "",
  ].join("\n");
}

export function sandboxShellText(input: { policyDir: string; bwrap: string; shell: string }): string {
  return `#!/bin/bash
# Industrial Orchestrator's sandbox shell: every command an agent runs enters
# bubblewrap with its session's policy (docs/sandbox.md). Written by the
# runner pool; do not edit.
policies=${shellQuote(input.policyDir)}
d=$PWD
while :; do
  k=\${d//_/_u}
  k=\${k//\\//_s}
  [ -f "$policies/$k.sh" ] && break
  if [ -z "$d" ] || [ "$d" = / ]; then
    echo "sandbox: no session owns $PWD; the command does not run outside the sandbox" >&2
    exit 126
  fi
  d=\${d%/*}
done
. "$policies/$k.sh" || exit 126
while [ \${#SANDBOX_ULIMITS[@]} -gt 0 ]; do
  ulimit "\${SANDBOX_ULIMITS[0]}" "\${SANDBOX_ULIMITS[1]}" || { echo "sandbox: cannot set the limit ulimit \${SANDBOX_ULIMITS[0]} \${SANDBOX_ULIMITS[1]}" >&2; exit 126; }
  SANDBOX_ULIMITS=("\${SANDBOX_ULIMITS[@]:2}")
done
exec ${shellQuote(input.bwrap)} "\${SANDBOX_ARGS[@]}" --chdir "$PWD" -- ${shellQuote(input.shell)} "$@"
`;
}
