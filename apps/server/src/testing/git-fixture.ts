import { createGitRepo, tempDir } from "@industrial/testkit";

/** A temporary git repository on branch main with one commit; `remove()` deletes it. */
export function createTestGitRepo(files?: Record<string, string>): { path: string; head: string; remove(): void } {
  const dir = tempDir("orch-repo-");
  const head = createGitRepo(dir.path, files);
  return { path: dir.path, head, remove: dir.remove };
}
