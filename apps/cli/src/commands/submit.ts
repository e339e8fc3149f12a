import { resolve } from "node:path";
import { ModelRef, type CreateSessionBody, type SessionView } from "@industrial/contracts";
import { PRIORITIES, PUSH_TARGETS, SESSION_TYPES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../context";
import { exitCodeForOutcome } from "../exit-codes";
import { statusPaint } from "../format/colors";
import { shortId } from "../format/text";
import { collect, enumOption, intOption, parseOptions } from "../options";
import { repositoryArg } from "../repository-arg";
import { resolveAgentId } from "../resolve-id";
import { action, argument } from "../run-command";
import { waitForSession } from "../wait-for-session";

const SubmitOptions = z
  .object({
    dir: z.string().min(1).optional(),
    repo: z.string().min(1).optional(),
    base: z.string().min(1).optional(),
    pushTo: enumOption(PUSH_TARGETS).optional(),
    priority: enumOption(PRIORITIES).optional(),
    type: enumOption(SESSION_TYPES).optional(),
    title: z.string().trim().min(1, { error: "must not be empty" }).max(200).optional(),
    maxDuration: intOption(5, 86_400).optional(),
    maxAttempts: intOption(1, 10).optional(),
    model: ModelRef.optional(),
    agent: z.string().min(1).optional(),
    tag: z.array(z.string().trim().min(1).max(64)).max(32).default([]),
    wait: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    // The API says the same, but saying it here names the CLI options, not body fields.
    if (o.dir && o.repo)
      ctx.addIssue({ code: "custom", path: ["dir"], message: "give either --dir or --repo, not both" });
    if (o.base && !o.repo) ctx.addIssue({ code: "custom", path: ["base"], message: "--base needs --repo" });
    if (o.pushTo && !o.repo) ctx.addIssue({ code: "custom", path: ["pushTo"], message: "--push-to needs --repo" });
  });

/** `-` reads the prompt from stdin, so long prompts can come from a file or a heredoc. */
async function readPrompt(raw: string): Promise<string> {
  if (raw !== "-") return raw;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function toBody(
  prompt: string,
  o: z.output<typeof SubmitOptions>,
  preferredAgentId: string | undefined,
): CreateSessionBody {
  return {
    prompt,
    ...(preferredAgentId ? { preferredAgentId } : {}),
    ...(o.title ? { title: o.title } : {}),
    ...(o.type ? { type: o.type } : {}),
    ...(o.priority ? { priority: o.priority } : {}),
    // The server runs elsewhere in general: relative paths mean "from where I am", so send them absolute.
    ...(o.dir ? { directory: resolve(o.dir) } : {}),
    ...(o.repo ? { repository: repositoryArg(o.repo) } : {}),
    ...(o.base ? { baseRef: o.base } : {}),
    ...(o.pushTo ? { pushTo: o.pushTo } : {}),
    ...(o.model ? { model: o.model } : {}),
    ...(o.maxDuration !== undefined ? { maxDurationSeconds: o.maxDuration } : {}),
    ...(o.maxAttempts !== undefined ? { retry: { maxAttempts: o.maxAttempts } } : {}),
    ...(o.tag.length ? { tags: o.tag } : {}),
  };
}

function printOutcome(ctx: CliContext, s: SessionView): void {
  const c = ctx.colors;
  ctx.out(`${c.bold(shortId(s.id))} ${statusPaint(c, s.status)(s.status)}  ${s.title}`);
  if (s.error) ctx.out(c.red(`${s.error.code}: ${s.error.message}`));
  if (s.result) ctx.out(s.result.summary);
}

async function submit(ctx: CliContext, cmd: Command) {
  const o = parseOptions(SubmitOptions, cmd.opts());
  const prompt = await readPrompt(argument(cmd));
  const preferredAgentId = o.agent === undefined ? undefined : await resolveAgentId(ctx.client, o.agent);
  const created = await ctx.client.call("createSession", { body: toBody(prompt, o, preferredAgentId) });
  if (!o.wait) {
    if (ctx.json) return ctx.emitJson(created);
    ctx.out(`created session ${ctx.colors.bold(created.id)} (${created.status})`);
    ctx.out(ctx.colors.dim(`follow it with: orchestrator logs -f ${shortId(created.id)}`));
    return;
  }
  const final = await waitForSession(ctx, created);
  if (ctx.json) ctx.emitJson(final);
  else printOutcome(ctx, final);
  return exitCodeForOutcome(final.status);
}

export function registerSubmit(program: Command): void {
  program
    .command("submit")
    .description("create a session from a prompt (queued at once)")
    .argument("<prompt>", "what the agent should do; `-` reads it from stdin")
    .option("--dir <path>", "work in this directory (in place, or a worktree if it is inside a git repository)")
    .option(
      "--repo <path-or-url>",
      "work in a new worktree of this git repository: a path, or a git URL (https://, ssh://, git@host:path, git://, file://)",
    )
    .option("--base <ref>", "commit-ish the worktree starts from (with --repo; default HEAD)")
    .option(
      "--push-to <origin|work>",
      "where checkpoints go for a --repo URL: the repository itself (origin, the default) or the work remote",
    )
    .option("--priority <priority>", `one of ${PRIORITIES.join(", ")} (default medium)`)
    .option("--type <type>", `one of ${SESSION_TYPES.join(", ")} (default execution)`)
    .option("--title <title>", "a title (default: the prompt's first line)")
    .option("--max-duration <seconds>", "time limit of one attempt, 5–86400 (default 3600)")
    .option("--max-attempts <n>", "attempts before giving up, 1–10 (default 3)")
    .option("--model <provider/model>", "the model to use (default: the agent's)")
    .option("--agent <name-or-id>", "prefer this agent (it still has to fit the session's type and capabilities)")
    .option("--tag <tag>", "a tag; repeat for several", collect)
    .option("--wait", "wait until the session finishes; exit 0 if it completed, 1 if not")
    .action(action(submit));
}
