"use client";

import type { SessionView } from "@industrial/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { getApi } from "@/lib/api";
import { qk } from "@/lib/queries";
import { StatusBadge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

/** Parent and child sessions, and the task the session belongs to; re-read when the session's status changes (session-detail.tsx). */
export function Relations({ session }: { session: SessionView }) {
  const tree = useQuery({
    queryKey: qk.sessionTree(session.id),
    queryFn: () => getApi().call("sessionTree", { params: { id: session.id } }),
  });
  const parent = tree.data?.parent;
  const children = tree.data?.children ?? [];
  return (
    <Card>
      <CardHeader title="Related" />
      <CardBody className="flex flex-col gap-3 text-sm">
        <div>
          <p className="label text-subtle">Task</p>
          {session.taskId ? (
            <Link href={`/tasks/${session.taskId}`} className="text-accent-strong hover:underline">
              {session.taskId.slice(0, 8)} →
            </Link>
          ) : (
            <p className="text-muted">none</p>
          )}
        </div>
        <div>
          <p className="label text-subtle">Parent</p>
          {parent ? (
            <Link href={`/sessions/${parent.id}`} className="flex items-center gap-2 hover:underline">
              <StatusBadge status={parent.status} />
              <span className="truncate">{parent.title}</span>
            </Link>
          ) : (
            <p className="text-muted">none</p>
          )}
        </div>
        <div>
          <p className="label text-subtle">Children ({children.length})</p>
          {children.length ? (
            <ul className="mt-1 flex flex-col gap-1">
              {children.map((c) => (
                <li key={c.id}>
                  <Link href={`/sessions/${c.id}`} className="flex items-center gap-2 hover:underline">
                    <StatusBadge status={c.status} />
                    <span className="truncate">{c.title}</span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-muted">none</p>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
