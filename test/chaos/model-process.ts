import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stopProcessGroup, waitFor } from "@industrial/testkit";

const ROOT = resolve(import.meta.dirname, "../..");

/** The scripted model of the whole cluster, as its own process. */
export interface ModelProcess {
  /** Its OpenAI-compatible base URL (`http://127.0.0.1:<port>/v1`): the replicas' ORCHESTRATOR_DEMO_MODEL_URL. */
  readonly url: string;
  /** Its request log: one JSON line per request's arrival and end (`RequestLogLine`). */
  readonly requestLog: string;
  readonly pid: number;
  /** Set when it ended without being told to (the suite fails on it). */
  readonly crashed: string | null;
  output(): string;
  /** Ends it (its whole process group: tsx and the node it runs) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts the scripted model outside the pods, as an LLM provider lives
 * elsewhere: a frozen or killed pod freezes or kills its agents, never the
 * model, so the model's log tells when a request really was sent (a frozen
 * server would read a request sent before the freeze only at wake-up). It
 * leads a process group of its own; call `stop()` whatever happened.
 */
export async function startModelProcess(root: string): Promise<ModelProcess> {
  const dir = join(root, "model");
  mkdirSync(dir, { recursive: true });
  const requestLog = join(dir, "requests.jsonl");
  writeFileSync(requestLog, "");
  const child = spawn(
    join(ROOT, "node_modules/.bin/tsx"),
    ["packages/scripted-model/src/main.ts", "--port", "0", "--request-log", requestLog],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let out = "";
  child.stdout!.on("data", (b) => (out += String(b)));
  child.stderr!.on("data", (b) => (out += String(b)));
  let stopping = false;
  let crashed: string | null = null;
  child.once("exit", (code, signal) => {
    if (!stopping) crashed = `exited by itself (${code ?? signal})`;
  });
  const stop = async () => {
    stopping = true;
    await stopProcessGroup(child);
  };
  try {
    const url = await waitFor(
      () => {
        if (crashed) throw new Error(`the scripted model ${crashed}`);
        return /scripted model listening on (http:\/\/\S+)/.exec(out)?.[1];
      },
      "the scripted model to listen",
      { timeoutMs: 30_000 },
    );
    return {
      url,
      requestLog,
      pid: child.pid!,
      get crashed() {
        return crashed;
      },
      output: () => out,
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}; its output: ${out.slice(-800)}`);
  }
}
