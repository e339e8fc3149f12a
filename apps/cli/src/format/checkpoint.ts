import type { z } from "zod";
import type { ChainVerificationSchema, CheckpointSchema } from "@industrial/contracts";
import type { Colors } from "./colors";
import { renderTable } from "./table";
import { formatCount } from "./text";

type Checkpoint = z.output<typeof CheckpointSchema>;
type ChainVerification = z.output<typeof ChainVerificationSchema>;

/** The `checkpoints` table: seq, trigger, time, short hash, commit, tokens (input + output). */
export function formatCheckpointTable(items: readonly Checkpoint[], c: Colors): string {
  const rows = items.map((k) => [
    String(k.seq),
    k.trigger,
    k.createdAt,
    k.hash.slice(0, 12),
    k.gitCommit ? k.gitCommit.slice(0, 8) : c.gray("-"),
    formatCount(k.tokens.input + k.tokens.output),
  ]);
  const columns = [{ header: "SEQ", align: "right" as const }, { header: "TRIGGER" }, { header: "TIME" }, { header: "HASH" }, { header: "COMMIT" }, { header: "TOKENS", align: "right" as const }];
  return renderTable(columns, rows, c.dim);
}

/** `--verify`: one line, intact or where and why the chain breaks. */
export function formatVerification(v: ChainVerification, c: Colors): string {
  if (v.intact) return c.green(`chain intact: ${v.checked} checkpoint${v.checked === 1 ? "" : "s"} verified`);
  const at = v.brokenAt === undefined ? "" : ` at checkpoint #${v.brokenAt}`;
  return c.red(`chain BROKEN${at}: ${v.reason ?? "no reason given"} (${v.checked} checked)`);
}
