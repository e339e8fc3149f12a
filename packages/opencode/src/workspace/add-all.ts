import { GitCommandError } from "./run-git";

const NO_COMMIT = /error: '([^']+?)\/?' does not have a commit checked out/g;

/**
 * `git add --all` for a checkpoint or a diff, which an agent's stray
 * `git init sub` must not break: git refuses to add a nested repository that
 * has no commit yet (it could only record a gitlink to nothing) and stages
 * nothing at all. Such folders are left out, by name, and the rest is added;
 * returns what was left out (they are picked up once they have a commit).
 */
export async function addAll(git: (args: string[]) => Promise<unknown>): Promise<string[]> {
  const skipped: string[] = [];
  for (let round = 0; ; round++) {
    const excludes = skipped.map((p) => `:(exclude,literal)${p}`);
    try {
      await git(["add", "--all", ...(excludes.length ? ["--", ".", ...excludes] : [])]);
      return skipped;
    } catch (e) {
      const found = e instanceof GitCommandError ? [...e.stderr.matchAll(NO_COMMIT)].map((m) => m[1]!) : [];
      const fresh = found.filter((p) => !skipped.includes(p));
      if (!fresh.length || round >= 20) throw e;
      skipped.push(...fresh);
    }
  }
}
