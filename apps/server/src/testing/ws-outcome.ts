import { TestWsClient } from "./ws-client";

/** How a WebSocket connection attempt ended: greeted (`hello`), or closed with a code and the error frame before it. */
export interface WsOutcome {
  hello: boolean;
  close: { code: number; reason: string } | null;
  error: { code: string; message: string } | null;
}

/**
 * Opens `url` with `options`, waits for the `hello` frame or the close
 * (whichever comes first, within `timeoutMs`), then closes its side. A
 * handshake the server refuses outright is a close with code 0.
 */
export async function wsOutcome(
  url: string,
  options: Parameters<typeof TestWsClient.connect>[1] = {},
  timeoutMs = 5_000,
): Promise<WsOutcome> {
  let client: TestWsClient;
  try {
    client = await TestWsClient.connect(url, options);
  } catch (e) {
    return { hello: false, close: { code: 0, reason: (e as Error).message }, error: null };
  }
  const greeted = client
    .waitFor("hello", () => true, { timeoutMs })
    .then(
      () => "hello" as const,
      () => "no hello" as const,
    );
  const first = await Promise.race([greeted, client.closed.then(() => "closed" as const)]);
  const errorFrame = client.of("error")[0]?.payload ?? null;
  if (first === "hello") {
    await client.close();
    return { hello: true, close: null, error: errorFrame };
  }
  const close = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), timeoutMs))]);
  if (!close) await client.close();
  return { hello: false, close, error: client.of("error")[0]?.payload ?? errorFrame };
}
