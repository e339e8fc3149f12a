// The spawner's host process (spawner.ts): runs the commands the orchestrator
// asks for and answers with their output. Plain JavaScript, loaded by a bare
// `node`, so that it stays small — a fork() from a small process is cheap.
import { execFile } from "node:child_process";

process.on("message", (m) => {
  const answer = (failure, stdout, stderr) => process.send?.({ id: m.id, failure, stdout, stderr });
  try {
    execFile(m.file, m.args, { cwd: m.cwd, env: m.env, timeout: m.timeoutMs, maxBuffer: m.maxBuffer, encoding: "utf8", windowsHide: true }, (error, stdout, stderr) => {
      answer(error ? { code: error.code ?? null, killed: error.killed === true, signal: error.signal ?? null, message: error.message } : null, stdout, stderr);
    });
  } catch (e) {
    // execFile throws at once on arguments it refuses (a NUL byte): a command that could not run.
    answer({ code: e?.code ?? null, killed: false, signal: null, message: e?.message ?? String(e) }, "", "");
  }
});
// The orchestrator is gone: nothing will read an answer.
process.on("disconnect", () => process.exit(0));
