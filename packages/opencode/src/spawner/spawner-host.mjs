// The spawner's host process (spawner.ts): runs the commands the orchestrator
// asks for and answers with their output. Plain JavaScript, loaded by a bare
// `node`, so that it stays small — a fork() from a small process is cheap.
import { runFile } from "./run-file.mjs";

process.on("message", (m) => {
  runFile(m.file, m.args, m, (result) => process.send?.({ id: m.id, ...result }));
});
// The orchestrator is gone: nothing will read an answer.
process.on("disconnect", () => process.exit(0));
