/**
 * Runs the scripted model standalone:
 *   tsx packages/scripted-model/src/main.ts [--port 0] [--host 127.0.0.1] [--request-log <file>]
 * Prints `scripted model listening on http://127.0.0.1:<port>/v1` once ready,
 * and stops cleanly on SIGINT / SIGTERM. `--request-log`: a file that gets one
 * JSON line per request's arrival and end (`RequestLogLine`), as it happens.
 */
import { parseArgs } from "node:util";
import { createScriptedModel } from "./scripted-model";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "request-log": { type: "string" },
  },
  strict: true,
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}

const requestLog = values["request-log"];
if (requestLog === "") {
  console.error("--request-log needs a file name");
  process.exit(2);
}
const model = await createScriptedModel({
  port,
  host: values.host,
  ...(requestLog ? { requestLogFile: requestLog } : {}),
});
console.log(`scripted model listening on ${model.baseUrl}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void model.close().then(() => process.exit(0));
  });
}
