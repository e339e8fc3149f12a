import { execFileSync } from "node:child_process";
import { createGitRepo, tempDir, type TestGitDaemon } from "@industrial/testkit";

/** A temporary git repository on branch main with one commit; `remove()` deletes it. */
export function createTestGitRepo(files?: Record<string, string>): { path: string; head: string; remove(): void } {
  const dir = tempDir("orch-repo-");
  const head = createGitRepo(dir.path, files);
  return { path: dir.path, head, remove: dir.remove };
}

/**
 * A repository the daemon serves (`<baseDir>/<name>`, bare, HEAD on main)
 * holding one commit of `files`, pushed from a scratch clone that is removed
 * again; the daemon need not run yet. Returns the bare repository's path and
 * the commit.
 */
export function seedServedRepository(
  daemon: TestGitDaemon,
  name: string,
  files: Record<string, string>,
): { path: string; head: string } {
  const path = daemon.initBare(name);
  execFileSync("git", ["symbolic-ref", "HEAD", "refs/heads/main"], { cwd: path });
  const author = createTestGitRepo(files);
  try {
    execFileSync("git", ["push", "--quiet", path, "main"], { cwd: author.path, stdio: "pipe" });
    return { path, head: author.head };
  } finally {
    author.remove();
  }
}
