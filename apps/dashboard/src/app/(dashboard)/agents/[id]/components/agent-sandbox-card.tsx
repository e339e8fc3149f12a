import type { AgentSandboxView } from "@industrial/contracts";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { KeyValues } from "@/components/ui/stat";

const limit = (n: number | null, unit: string) => (n === null ? "unlimited" : `${n.toLocaleString("en-US")}${unit}`);

/** What each command of the agent's sessions may reach: the network, the limits, the host paths mounted inside. */
export function AgentSandboxCard({ sandbox }: { sandbox: AgentSandboxView }) {
  return (
    <Card>
      <CardHeader title="Sandbox" />
      <CardBody className="flex flex-col gap-4">
        <KeyValues
          className="lg:grid-cols-4"
          items={[
            { label: "Network", value: sandbox.network === "none" ? "none (no network)" : "full" },
            { label: "Memory / command", value: limit(sandbox.memoryMb, " MiB") },
            { label: "Max processes", value: limit(sandbox.maxProcesses, "") },
            { label: "CPU / command", value: limit(sandbox.cpuSeconds, " s") },
          ]}
        />
        <div>
          <p className="label text-subtle">Mounts</p>
          {sandbox.mounts.length === 0 ? (
            <p className="mt-0.5 text-sm text-muted">No host paths mounted (only an admin adds them).</p>
          ) : (
            <ul className="mt-1 flex flex-col gap-1.5">
              {sandbox.mounts.map((m) => (
                <li key={m.path} className="flex min-w-0 items-center gap-2 text-sm">
                  <Badge tone={m.mode === "rw" ? "accent" : "neutral"}>
                    {m.mode === "rw" ? "read-write" : "read-only"}
                  </Badge>
                  <code className="num truncate">{m.path}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
