import { ApiKeyToken } from "@industrial/contracts";
import { UsageError } from "./cli-error";

/**
 * How `login` gets a key without it ever being an argument (argv lands in
 * shell history and `ps`): typed at a hidden prompt on a terminal, or the
 * first line of stdin (a pipe, a file, a secret manager's output).
 */

export type KeystrokeState = { state: "typing" | "done" | "interrupted" | "eof"; value: string };

/**
 * What a chunk of raw-mode terminal input does to the hidden line: printable
 * characters are added (a paste arrives as one chunk), Backspace deletes,
 * Ctrl-U clears, Enter ends, Ctrl-C interrupts, Ctrl-D on an empty line is
 * end of input. Escape sequences (arrow keys, bracketed paste markers) are
 * dropped whole, so they never end up inside the key.
 */
export function applyKeystrokes(value: string, chunk: string): KeystrokeState {
  let v = value;
  for (let i = 0; i < chunk.length; i++) {
    const ch = chunk[i] as string;
    if (ch === "\r" || ch === "\n") return { state: "done", value: v };
    if (ch === "\u0003") return { state: "interrupted", value: "" };
    if (ch === "\u0004") {
      if (v === "") return { state: "eof", value: "" };
      continue;
    }
    if (ch === "\u007f" || ch === "\b") v = v.slice(0, -1);
    else if (ch === "\u0015") v = "";
    else if (ch === "\u001b") {
      // CSI: ESC [ parameters… final byte (0x40–0x7e); other escapes are two characters.
      if (chunk[i + 1] === "[") {
        i += 2;
        while (i < chunk.length && !/[\x40-\x7e]/.test(chunk[i] as string)) i++;
      } else i++;
    } else if (ch >= " ") v += ch;
  }
  return { state: "typing", value: v };
}

/** A key as typed or piped, checked before it is sent anywhere (an empty line, a space inside it, a short string). */
export function parseKeyInput(raw: string): string {
  const key = raw.trim();
  if (key === "")
    throw new UsageError("no API key was given", {
      suggestion: "paste the key at the prompt, or pipe it: `orchestrator login --key-stdin < key-file`",
    });
  const reason = /\s/.test(key) ? "must not contain spaces" : ApiKeyToken.safeParse(key).error?.issues[0]?.message;
  if (reason)
    throw new UsageError(`that is not an API key: ${reason}`, {
      details: [{ path: "key", reason }],
      suggestion: "API keys look like io_<prefix>_<secret>; `orchestrator keys create` makes one",
    });
  return key;
}

/** The first line of a non-terminal stdin (the rest is left unread). */
export async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin) {
    text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
    const end = text.search(/\r?\n/);
    // Leaving the loop early destroys the stream: nothing more is read.
    if (end >= 0) return text.slice(0, end);
  }
  return text;
}

/** Reads a line from a terminal without echoing it; Ctrl-C interrupts the process as it would anywhere else. */
export function promptHidden(stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream, prompt: string): Promise<string> {
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const onData = (chunk: string) => {
      const r = applyKeystrokes(value, chunk);
      value = r.value;
      if (r.state === "typing") return;
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
      // Raw mode swallowed the signal: raise it now that the terminal is restored.
      if (r.state === "interrupted") process.kill(process.pid, "SIGINT");
      else if (r.state === "eof") reject(new UsageError("no API key was given (end of input)"));
      else resolve(r.value);
    };
    stdin.on("data", onData);
  });
}
