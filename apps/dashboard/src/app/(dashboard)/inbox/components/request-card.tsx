"use client";

import type { InputReplyBody, SessionView } from "@industrial/contracts";
import type { InboxItem } from "@industrial/core";
import { ApiError } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { formatAgo, formatDuration, shortId } from "@/lib/format";
import { qk } from "@/lib/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, fieldAria, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import {
  answerErrorsOf,
  emptyAnswerForm,
  questionErrorAt,
  toReplyBody,
  type AnswerAction,
  type AnswerErrors,
  type AnswerForm,
} from "../lib/answer-form";
import type { InboxPage } from "../lib/inbox-frames";
import { PermissionAsk } from "./permission-ask";
import { QuestionFields } from "./question-fields";

const DONE: Record<AnswerAction, string> = {
  once: "Approved once",
  always: "Approved always",
  reject: "Rejected",
  submit: "Answered",
  dismiss: "Dismissed",
};

/** The reply, and what it changes in the caches at once: the request leaves every inbox page and its session's pendingInput. */
function useReply(item: InboxItem) {
  const qc = useQueryClient();
  const toast = useToast();
  const forget = () => {
    qc.setQueriesData<InboxPage>({ queryKey: ["inbox", "list"] }, (p) =>
      p?.items.some((i) => i.id === item.id)
        ? { ...p, items: p.items.filter((i) => i.id !== item.id), total: Math.max(0, p.total - 1) }
        : p,
    );
    qc.setQueryData<SessionView>(qk.session(item.sessionId), (s) =>
      s ? { ...s, pendingInput: s.pendingInput.filter((i) => i.id !== item.id) } : s,
    );
    void qc.invalidateQueries({ queryKey: ["inbox"] });
    void qc.invalidateQueries({ queryKey: qk.session(item.sessionId), exact: true });
  };
  return useMutation({
    mutationFn: ({ body }: { action: AnswerAction; body: InputReplyBody }) =>
      getApi().call("replyInputRequest", { params: { requestId: item.id }, body }),
    onSuccess: (_r, { action }) => {
      forget();
      toast.ok(`${DONE[action]}: ${item.sessionTitle}`);
    },
    onError: (e) => {
      // Answered elsewhere, expired or withdrawn: say so, and let the list catch up.
      if (e instanceof ApiError && e.status === 409) {
        toast.error(e, "Already closed");
        forget();
      } else if (!(e instanceof ApiError && e.status === 400)) toast.error(e, "Reply refused");
    },
  });
}

const withoutField = (fields: Record<string, string>, path: string) =>
  Object.fromEntries(Object.entries(fields).filter(([k]) => k !== path && !k.startsWith(`${path}.`)));

/** The card's heading: what is asked, in a few words (`edit`, `bash`; a question's header). */
function headline(item: InboxItem): string {
  if (item.permission) return `asks to ${item.permission.name}`;
  const qs = item.questions ?? [];
  const first = qs[0]?.header || "a question";
  return qs.length > 1 ? `${first} +${qs.length - 1}` : first;
}

/**
 * One input request (docs/input-requests.md §3, Dashboard): whose it is, how
 * long it has waited and when it expires; a permission's command or diff with
 * Approve once / Always / Reject (and a message to send with a reject), or a
 * question's form with Submit / Dismiss. Those who may not answer (viewers;
 * a member for another's session) read it with the controls disabled.
 */
export function RequestCard({
  item,
  agentName,
  canAnswer,
  now,
  showSession = true,
}: {
  item: InboxItem;
  agentName?: string;
  canAnswer: boolean;
  now: number;
  showSession?: boolean;
}) {
  const [form, setForm] = useState<AnswerForm>(() => emptyAnswerForm(item));
  const [local, setLocal] = useState<AnswerErrors | null>(null);
  const reply = useReply(item);
  const errors =
    local ??
    (reply.error instanceof ApiError && reply.error.status === 400
      ? answerErrorsOf(reply.error)
      : { fields: {}, form: null });
  const press = (action: AnswerAction) => {
    const r = toReplyBody(form, action);
    setLocal(r.ok ? null : r.errors);
    if (r.ok) reply.mutate({ action, body: r.body });
  };
  const busy = (a: AnswerAction) => reply.isPending && reply.variables?.action === a;
  const disabled = !canAnswer || reply.isPending || reply.isSuccess;
  const expires = item.expiresAt ? Date.parse(item.expiresAt) - now : null;
  const msgId = `msg-${item.id}`;
  return (
    <Card
      data-slot="request-card"
      data-kind={item.kind}
      data-request={item.id}
      className="min-w-0 border-accent shadow-hard-accent"
    >
      <CardHeader
        className="flex-wrap gap-y-1"
        title={
          <span className="flex items-center gap-2 whitespace-nowrap">
            <Badge tone="accent" fill="solid">
              {item.kind}
            </Badge>
            <span className="text-fg">{headline(item)}</span>
          </span>
        }
        actions={
          <span className="num text-xs text-muted">
            waiting {formatAgo(item.createdAt, now).replace(" ago", "")}
            {expires === null
              ? " · no expiry"
              : expires > 0
                ? ` · expires in ${formatDuration(expires / 1000)}`
                : " · expiring"}
          </span>
        }
      />
      <CardBody className="flex flex-col gap-4">
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
          {showSession ? (
            <>
              <dt className="label text-subtle">Session</dt>
              <dd className="min-w-0 truncate">
                <Link href={`/sessions/${item.sessionId}`} className="text-accent-strong hover:underline">
                  {item.sessionTitle}
                </Link>{" "}
                <span className="num text-xs text-subtle">{shortId(item.sessionId)}</span>
              </dd>
            </>
          ) : null}
          <dt className="label text-subtle">Agent</dt>
          <dd className="min-w-0 truncate">
            <Link href={`/agents/${item.agentId}`} className="text-accent-strong hover:underline">
              {agentName ?? shortId(item.agentId)}
            </Link>
          </dd>
        </dl>
        {item.permission ? <PermissionAsk ask={item.permission} /> : null}
        {form.kind === "permission" ? (
          canAnswer ? (
            <Field
              id={msgId}
              label="Message to the agent (with Reject)"
              hint="Optional: what it should do instead."
              error={errors.fields.message}
            >
              <Textarea
                {...fieldAria(msgId, errors.fields.message)}
                rows={2}
                className="min-h-16"
                value={form.message}
                disabled={disabled}
                onChange={(e) => {
                  setForm({ kind: "permission", message: e.target.value });
                  if (reply.isError) reply.reset();
                }}
              />
            </Field>
          ) : null
        ) : (
          <QuestionFields
            id={item.id}
            questions={item.questions ?? []}
            answers={form.answers}
            errorAt={(i) => questionErrorAt(errors, i) ?? (i === 0 ? errors.fields.answers : undefined)}
            disabled={disabled}
            onChange={(i, answer) => {
              setForm((f) =>
                f.kind === "question"
                  ? { kind: "question", answers: f.answers.map((a, j) => (j === i ? answer : a)) }
                  : f,
              );
              // An error said of this question no longer holds once it changes.
              setLocal((l) => (l ? { ...l, fields: withoutField(l.fields, `answers.${i}`) } : l));
              if (reply.isError) reply.reset();
            }}
          />
        )}
        {errors.form ? (
          <p role="alert" className="border-2 border-st-failed px-3 py-2 text-sm text-st-failed">
            ✗ {errors.form}
          </p>
        ) : null}
        <div role="group" aria-label="Answer" className="flex flex-wrap items-center gap-2">
          {item.kind === "permission" ? (
            <>
              <Button size="sm" variant="primary" disabled={disabled} busy={busy("once")} onClick={() => press("once")}>
                Approve once
              </Button>
              <Button
                size="sm"
                variant="secondary"
                disabled={disabled}
                busy={busy("always")}
                onClick={() => press("always")}
                title="Allow this pattern for the rest of the session"
              >
                Always
              </Button>
              <Button
                size="sm"
                variant="danger"
                disabled={disabled}
                busy={busy("reject")}
                onClick={() => press("reject")}
              >
                Reject
              </Button>
            </>
          ) : (
            <>
              <Button
                size="sm"
                variant="primary"
                disabled={disabled}
                busy={busy("submit")}
                onClick={() => press("submit")}
              >
                Submit
              </Button>
              <Button
                size="sm"
                variant="ghost"
                disabled={disabled}
                busy={busy("dismiss")}
                onClick={() => press("dismiss")}
              >
                Dismiss
              </Button>
            </>
          )}
          {!canAnswer ? (
            <span className="text-xs text-subtle">
              Read only: whoever may control this session answers (its creator, a lead, an admin).
            </span>
          ) : null}
        </div>
      </CardBody>
    </Card>
  );
}
