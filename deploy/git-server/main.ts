/**
 * `node --import tsx deploy/git-server/main.ts`: the chart's bundled work
 * remote (gitServer.enabled), run from the orchestrator's own image, which
 * has git. Settings, all from the environment:
 *   GIT_SERVER_PASSWORD      required, ≥ 16 characters (the chart's Secret)
 *   GIT_SERVER_USER          default `orchestrator`
 *   GIT_SERVER_ROOT          the volume holding the repositories, default /srv/git
 *   GIT_SERVER_REPOSITORIES  bare repositories made at start when missing, default work.git
 *   GIT_SERVER_PORT          default 8080
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createGitHttpServer, isBareRepository } from "./git-http-server";

function settings(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const password = env.GIT_SERVER_PASSWORD ?? "";
  // An empty password is a Secret nobody filled in (the plain manifests): refuse rather than serve without one.
  if (password.length < 16) problems.push("GIT_SERVER_PASSWORD: must be at least 16 characters (fill in the Secret)");
  const repositories = (env.GIT_SERVER_REPOSITORIES || "work.git")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const r of repositories)
    if (!/^[\w-][\w.-]*\.git$/.test(r)) problems.push(`GIT_SERVER_REPOSITORIES: ${r} is not a name ending in .git`);
  const port = Number(env.GIT_SERVER_PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) problems.push("GIT_SERVER_PORT: must be a port number");
  return {
    problems,
    password,
    repositories,
    port,
    user: env.GIT_SERVER_USER || "orchestrator",
    root: env.GIT_SERVER_ROOT || "/srv/git",
  };
}

const line = (fields: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), component: "git-server", ...fields })}\n`);

const s = settings(process.env);
if (s.problems.length) {
  for (const p of s.problems) process.stderr.write(`${p}\n`);
  process.exit(1);
}
mkdirSync(s.root, { recursive: true });
for (const name of s.repositories) {
  if (isBareRepository(s.root, name)) continue;
  execFileSync("git", ["init", "--quiet", "--bare", join(s.root, name)], { stdio: "inherit" });
  line({ msg: "created", repository: name });
}

const server = createGitHttpServer({ root: s.root, user: s.user, password: s.password, log: line });
server.listen(s.port, "0.0.0.0", () => {
  const address = server.address();
  line({
    msg: "listening",
    port: typeof address === "object" && address ? address.port : s.port,
    repositories: s.repositories,
  });
});

// A push in flight finishes (git writes refs last, so an interrupted one changes nothing); new connections are refused.
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    line({ msg: "stopping", signal });
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 20_000).unref();
  });
