import type { InputRequestView } from "@industrial/core";
import { PERMISSION_REPLIES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import { computeAnswers } from "../answer-args";
import { UsageError } from "../cli-error";
import type { CliContext } from "../context";
import type { ErrorHints } from "../handle-error";
import { shortId, truncate } from "../format/text";
import { enumOption, parseOptions } from "../options";
import { resolveInputRequest } from "../resolve-id";
import { action, argument } from "../run-command";

/*
 * `reply` answers a permission, `answer` a question (docs/input-requests.md
 * §3, CLI); the server checks the reply against the request and the lease
 * holder forwards it to OpenCode.
 */

const HINTS: ErrorHints = {
  notFound: "list open requests with `orchestrator inbox` and check the id",
  conflict:
    "it was already answered, expired or withdrawn (its status is above); `orchestrator inbox` lists what still waits",
  invalid:
    "body.answers.<n> is the answer to question n+1 (the n+1th <answer>); `orchestrator inbox` shows each question's options",
};

/** What both commands print: the request's new status and its session. */
function printReplied(ctx: CliContext, r: InputRequestView): void {
  if (ctx.json) return ctx.emitJson(r);
  const c = ctx.colors;
  const paint = r.status === "answered" ? c.green : r.status === "rejected" ? c.red : c.yellow;
  ctx.out(
    `${r.kind} ${c.bold(shortId(r.id))} ${paint(r.status)} · session ${shortId(r.sessionId)} ${c.dim(truncate(r.sessionTitle, 60))}`,
  );
  ctx.out(
    c.dim(
      "the session's runner receives the reply within a moment; follow it with `orchestrator logs -f " +
        shortId(r.sessionId) +
        "`",
    ),
  );
}

const ReplyOptions = z.object({
  decision: enumOption(PERMISSION_REPLIES),
  message: z.string().trim().min(1).max(10_000).optional(),
});

async function reply(ctx: CliContext, cmd: Command) {
  const o = parseOptions(ReplyOptions, { ...cmd.opts(), decision: argument(cmd, 1) }, { decision: "<decision>" });
  const { id, item } = await resolveInputRequest(ctx.client, argument(cmd));
  if (item?.kind === "question")
    throw new UsageError("this request is a question, not a permission", {
      suggestion: `answer it with \`orchestrator answer ${id} <answer…>\` (or --reject)`,
    });
  const body = { reply: o.decision, ...(o.message ? { message: o.message } : {}) };
  printReplied(ctx, await ctx.client.call("replyInputRequest", { params: { requestId: id }, body }));
}

async function answer(ctx: CliContext, cmd: Command) {
  const reject = cmd.opts<{ reject?: boolean }>().reject === true;
  const positionals = (cmd.processedArgs[1] as string[] | undefined) ?? [];
  if (reject && positionals.length)
    throw new UsageError("--reject dismisses the question: give no answers with it", {
      details: [{ path: "--reject", reason: "excludes <answer…>" }],
    });
  const { id, item } = await resolveInputRequest(ctx.client, argument(cmd));
  if (reject && item?.kind === "permission")
    throw new UsageError("this request asks for a permission", {
      suggestion: `decline it with \`orchestrator reply ${id} reject\``,
    });
  const body = reject ? { reject: true as const } : { answers: computeAnswers(item, positionals) };
  printReplied(ctx, await ctx.client.call("replyInputRequest", { params: { requestId: id }, body }));
}

export function registerReply(program: Command): void {
  program
    .command("reply")
    .description(
      "answer a permission an agent waits for: once (this time), always (this pattern, for the rest of the session) or reject",
    )
    .argument("<requestId>", "request id or id prefix (see `orchestrator inbox`)")
    .argument("<decision>", PERMISSION_REPLIES.join(" | "))
    .option("--message <text>", "told to the agent with the reply (with reject: what to do instead)")
    .action(action(reply, HINTS));
  program
    .command("answer")
    .description("answer a question an agent waits for: one answer per question, in order")
    .argument("<requestId>", "request id or id prefix (see `orchestrator inbox`)")
    .argument(
      "[answer...]",
      "an option's label, or free text where the question allows it; several labels of a multiple-choice question comma-separated",
    )
    .option("--reject", "dismiss the question without answering")
    .action(action(answer, HINTS));
}
