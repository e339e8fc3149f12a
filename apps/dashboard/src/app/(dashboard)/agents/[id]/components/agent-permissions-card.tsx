import type { AgentView } from "@industrial/contracts";
import type { PermissionAction } from "@industrial/core";
import Link from "next/link";
import type { Tone } from "@/lib/status";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

// Ask is the accent: it is the rule that brings a person in (the Inbox). Deny reads as a refusal.
const ACTION_TONE: Record<PermissionAction, Tone> = { allow: "neutral", ask: "accent", deny: "failed" };

/**
 * The agent's OpenCode permission rules, in the order OpenCode checks them
 * (the last that matches wins); what is not named here runs on the runner's
 * defaults, which allow edits and commands.
 */
export function AgentPermissionsCard({ permissions }: { permissions: AgentView["permissions"] }) {
  const asks = permissions.some((r) => r.action === "ask");
  return (
    <Card>
      <CardHeader title="Permissions" />
      <CardBody className="flex flex-col gap-3">
        {permissions.length === 0 ? (
          <p className="text-sm text-muted">
            No rules: the runner&apos;s defaults, edits and commands allowed. Edit the agent and set Edit files to ask
            to approve each change in the Inbox.
          </p>
        ) : (
          <ol data-slot="agent-permissions" className="flex flex-col gap-1.5">
            {permissions.map((r, i) => (
              <li
                key={i}
                data-slot="agent-permission"
                className="grid grid-cols-[1.5rem_minmax(0,1fr)_minmax(0,1fr)_auto] items-center gap-3 text-sm sm:grid-cols-[1.5rem_12rem_minmax(0,20rem)_auto]"
              >
                <span className="num text-subtle">{i + 1}</span>
                <span className="truncate font-bold">{r.permission}</span>
                <code className="num truncate text-muted">{r.pattern}</code>
                <Badge tone={ACTION_TONE[r.action]} className="justify-self-start">
                  {r.action}
                </Badge>
              </li>
            ))}
          </ol>
        )}
        <p className="text-xs text-subtle">
          {asks ? (
            <>
              A rule that asks sends the request to the{" "}
              <Link href="/inbox" className="text-accent-strong hover:underline">
                Inbox
              </Link>
              ; the session waits for an answer there.{" "}
            </>
          ) : null}
          Checked in order; the last rule that matches wins.
        </p>
      </CardBody>
    </Card>
  );
}
