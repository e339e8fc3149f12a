// One command run with execFile, its failure told as the spawner reports it
// (SpawnFailure in spawner.ts). Shared by the spawner's host process and the
// orchestrator's own fallback; plain JavaScript so the host loads it bare.
import { execFile } from "node:child_process";

/** @type {import("./run-file.d.mts").runFile} */
export function runFile(file, args, options, done) {
  try {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs,
        maxBuffer: options.maxBuffer,
        encoding: "utf8",
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        done({
          failure: error
            ? {
                code: error.code ?? null,
                killed: error.killed === true,
                signal: error.signal ?? null,
                message: error.message,
              }
            : null,
          stdout,
          stderr,
        });
      },
    );
  } catch (e) {
    // execFile throws at once on arguments it refuses (a NUL byte): a command that could not run.
    done({
      failure: { code: e?.code ?? null, killed: false, signal: null, message: e?.message ?? String(e) },
      stdout: "",
      stderr: "",
    });
  }
}
