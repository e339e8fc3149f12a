import type { z } from "zod";
import type { ChainVerificationSchema, CheckpointSchema } from "@industrial/contracts";
import type { Colors } from "./colors";
import { renderTable } from "./table";
import { formatCount } from "./text";

type Checkpoint = z.output<typeof CheckpointSchema>;
type ChainVerification = z.output<typeof ChainVerificationSchema>;

/** The `checkpoints` table: seq, trigger, time, short hash, commit, tokens (input + output), pushed to the work remote. */
export function formatCheckpointTable(items: readonly Checkpoint[], c: Colors): string {
  const rows = items.map((k) => [
    String(k.seq),
    k.trigger,
    k.createdAt,
    k.hash.slice(0, 12),
    k.gitCommit ? k.gitCommit.slice(0, 8) : c.gray("-"),
    formatCount(k.tokens.input + k.tokens.output),
    k.pushed ? "yes" : k.gitCommit ? c.yellow("not yet") : c.gray("-"),
  ]);
  const columns = [
    { header: "SEQ", align: "right" as const },
    { header: "TRIGGER" },
    { header: "TIME" },
    { header: "HASH" },
    { header: "COMMIT" },
    { header: "TOKENS", align: "right" as const },
    { header: "PUSHED" },
  ];
  return renderTable(columns, rows, c.dim);
}

/** `--verify`: intact or where and why the chain breaks; then, when the server checked it, the work remote. */
export function formatVerification(v: ChainVerification, c: Colors): string {
  const chain = v.intact
    ? c.green(`chain intact: ${v.checked} checkpoint${v.checked === 1 ? "" : "s"} verified`)
    : c.red(
        `chain BROKEN${v.brokenAt === undefined ? "" : ` at checkpoint #${v.brokenAt}`}: ${v.reason ?? "no reason given"} (${v.checked} checked)`,
      );
  return v.remote ? `${chain}\n${formatRemoteVerification(v.remote, c)}` : chain;
}

function formatRemoteVerification(r: NonNullable<ChainVerification["remote"]>, c: Colors): string {
  const seqs = (label: string, list: number[]) =>
    list.length ? `; ${label}: ${list.map((n) => `#${n}`).join(", ")}` : "";
  const line = `work remote ${r.url}: ${r.pushed} pushed${seqs("not yet pushed", r.notYetPushed)}${seqs("MISSING", r.missing)}`;
  if (!r.reachable)
    return c.yellow(`${line} (as recorded: the remote could not be reached${r.error ? `: ${r.error}` : ""})`);
  return r.missing.length ? c.red(line) : r.notYetPushed.length ? c.yellow(line) : c.green(line);
}
