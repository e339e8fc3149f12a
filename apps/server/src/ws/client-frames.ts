import { parseWsClientMessage, type WsClientMessage, type WsIssue } from "@industrial/contracts";
import type { RawData } from "ws";

export type DecodedClientFrame =
  { ok: true; message: WsClientMessage } | { ok: false; error: { message: string; issues: WsIssue[] } };

/**
 * One client frame: JSON text, checked against the client message catalogue.
 * A frame that is not one says why (the `error` frame's message and details).
 */
export function decodeClientFrame(data: RawData, isBinary: boolean): DecodedClientFrame {
  if (isBinary)
    return {
      ok: false,
      error: {
        message: "(frame): binary frames are not accepted; send JSON text",
        issues: [{ path: "(frame)", reason: "binary frame" }],
      },
    };
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString());
  } catch (e) {
    return {
      ok: false,
      error: {
        message: `(frame): malformed JSON: ${(e as Error).message}`,
        issues: [{ path: "(frame)", reason: "malformed JSON" }],
      },
    };
  }
  const parsed = parseWsClientMessage(raw);
  if (!parsed.ok)
    return {
      ok: false,
      error: { message: parsed.issues.map((i) => `${i.path}: ${i.reason}`).join("; "), issues: parsed.issues },
    };
  return { ok: true, message: parsed.message };
}
