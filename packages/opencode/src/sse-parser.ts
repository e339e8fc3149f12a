/**
 * A minimal Server-Sent Events parser (the subset OpenCode uses: `data:`
 * lines, blank-line separated events, `:` comments). Text goes in as it
 * arrives, in chunks of any size; each complete event's data comes out.
 */
export interface SseParser {
  push(chunk: string): void;
}

export function createSseParser(onData: (data: string) => void): SseParser {
  let buffer = "";
  let data: string[] = [];

  const line = (text: string) => {
    if (text === "") {
      if (data.length) onData(data.join("\n"));
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    // id, event and retry carry nothing OpenCode uses.
    if (field === "data") data.push(value);
  };

  return {
    push(chunk) {
      buffer += chunk;
      for (;;) {
        const n = buffer.search(/[\r\n]/);
        if (n === -1) return;
        // A CR at the very end may be the first half of a CRLF: wait for more.
        if (buffer[n] === "\r" && n === buffer.length - 1) return;
        const width = buffer[n] === "\r" && buffer[n + 1] === "\n" ? 2 : 1;
        const text = buffer.slice(0, n);
        buffer = buffer.slice(n + width);
        line(text);
      }
    },
  };
}
