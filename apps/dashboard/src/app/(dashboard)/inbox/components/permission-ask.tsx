import type { PermissionAsk as Ask } from "@industrial/core";
import { cn } from "@/lib/cn";
import { diffLineClass, readableDiffLines } from "@/lib/diff-lines";

/**
 * What a permission would let the agent do: the permission and its
 * patterns, then the command it would run or the change it would make,
 * monospace and scrollable (a long diff scrolls inside its box, the card
 * stays its size).
 */
export function PermissionAsk({ ask }: { ask: Ask }) {
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <p className="flex flex-wrap items-baseline gap-2 text-sm">
        <span className="label text-muted">Permission</span>
        <span data-slot="ask-permission" className="font-bold text-fg uppercase">
          {ask.name}
        </span>
        <span className="label text-muted">on</span>
        {ask.patterns.map((p) => (
          <code key={p} className="border-2 border-line px-1.5 text-xs break-all text-fg">
            {p}
          </code>
        ))}
      </p>
      {ask.command ? (
        <pre
          data-slot="ask-command"
          tabIndex={0}
          aria-label="The command it would run"
          className="overflow-x-auto border-2 border-line bg-bg px-3 py-2 text-[12px] leading-5 whitespace-pre text-fg"
        >
          <span className="text-subtle select-none">$ </span>
          {ask.command}
        </pre>
      ) : null}
      {ask.diff ? (
        <pre
          data-slot="ask-diff"
          tabIndex={0}
          aria-label="The change it would make"
          className="max-h-72 overflow-auto border-2 border-line bg-bg py-2 text-[12px] leading-5"
        >
          {readableDiffLines(ask.diff).map((l, i) => (
            <div key={i} className={cn("px-3 whitespace-pre", diffLineClass(l))}>
              {l || " "}
            </div>
          ))}
        </pre>
      ) : null}
    </div>
  );
}
