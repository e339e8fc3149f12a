// The spawner's host process (spawner.ts): runs the commands the orchestrator
// asks for and answers with their output. Plain JavaScript, loaded by a bare
// `node`, so that it stays small — a fork() from a small process is cheap.
import { execFile } from "node:child_process";

process.on("message", (m) => {
  execFile(m.file, m.args, { cwd: m.cwd, env: m.env, timeout: m.timeoutMs, maxBuffer: m.maxBuffer, encoding: "utf8", windowsHide: true }, (error, stdout, stderr) => {
    const failure = error
      ? { code: error.code ?? null, killed: error.killed === true, signal: error.signal ?? null, message: error.message }
      : null;
    process.send?.({ id: m.id, failure, stdout, stderr });
  });
});
// The orchestrator is gone: nothing will read an answer.
process.on("disconnect", () => process.exit(0));
