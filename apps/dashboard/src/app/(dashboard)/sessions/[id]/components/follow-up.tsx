"use client";

import type { SessionView } from "@industrial/contracts";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { fieldErrorsOf } from "@/lib/field-errors";
import { useAccess } from "@/lib/queries";
import { canMessage } from "@/lib/status";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, fieldAria, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

/** Send an instruction to a running or paused session (it reaches the agent on its next turn); only for whoever may control it. */
export function FollowUp({ session }: { session: SessionView }) {
  const mayControl = useAccess().canControl(session.createdBy);
  const [text, setText] = useState("");
  const toast = useToast();
  const open = canMessage(session.status);
  const send = useMutation({
    mutationFn: () => getApi().call("messageSession", { params: { id: session.id }, body: { text } }),
    onSuccess: () => {
      setText("");
      toast.ok("Message queued for the agent");
    },
    onError: (e) => toast.error(e, "Message refused"),
  });
  const err = fieldErrorsOf(send.error).fields.text;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  if (!mayControl) return null;
  return (
    <Card>
      <CardHeader title="Follow-up" />
      <CardBody>
        <form onSubmit={submit} className="flex flex-col gap-3">
          <Field
            id="follow-up"
            label="Instruction"
            hint={
              open
                ? "Reaches the agent on its next turn."
                : `Only running or paused sessions take messages; this one is ${session.status}.`
            }
            error={err}
          >
            <Textarea
              {...fieldAria("follow-up", err)}
              rows={3}
              value={text}
              onChange={(e) => setText(e.target.value)}
              disabled={!open}
              placeholder="Also add a test for the empty case."
            />
          </Field>
          <div className="flex justify-end">
            <Button type="submit" variant="primary" size="sm" disabled={!open || !text.trim()} busy={send.isPending}>
              Send
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
