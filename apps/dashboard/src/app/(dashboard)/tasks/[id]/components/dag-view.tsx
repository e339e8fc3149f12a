"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ApiOut } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { layoutToFit } from "@/lib/dag-layout";
import { formatHours } from "@/lib/format";
import { statusLabel, toneOf } from "@/lib/status";
import { toneBg, toneText } from "@/components/ui/tone";

type Graph = ApiOut<"taskGraph">;

/**
 * The dependency graph, laid out by dagre: one box per task (status colour
 * on its left edge, hours and slack), arrows from prerequisite to dependant;
 * the critical path in the accent colour with thick borders.
 */
export function DagView({ graph }: { graph: Graph }) {
  const box = useRef<HTMLDivElement>(null);
  const [maxWidth, setMaxWidth] = useState(1000);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setMaxWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const l = useMemo(() => layoutToFit(graph, maxWidth), [graph, maxWidth]);
  return (
    <div ref={box} className="overflow-auto bg-bg" data-slot="dag">
      {!l.nodes.length ? (
        <p className="p-4 text-sm text-muted">No subtasks to draw: decompose the task first.</p>
      ) : null}
      {l.nodes.length ? (
        <svg
          width={l.width}
          height={l.height}
          viewBox={`0 0 ${l.width} ${l.height}`}
          role="group"
          aria-label={`Dependency graph: ${l.nodes.length} tasks, critical path of ${graph.criticalPath.length}, ${formatHours(graph.totalHours)} total`}
          className="block"
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 8 8"
              refX="8"
              refY="4"
              markerWidth="10"
              markerHeight="10"
              markerUnits="userSpaceOnUse"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L8,4 L0,8 z" className="fill-line-strong" />
            </marker>
            <marker
              id="arrow-critical"
              viewBox="0 0 8 8"
              refX="8"
              refY="4"
              markerWidth="10"
              markerHeight="10"
              markerUnits="userSpaceOnUse"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L8,4 L0,8 z" className="fill-accent" />
            </marker>
          </defs>
          {l.edges.map((e) => (
            <polyline
              key={e.id}
              data-critical={e.critical}
              points={e.points.map((p) => `${p.x},${p.y}`).join(" ")}
              fill="none"
              className={e.critical ? "stroke-accent" : "stroke-line-strong"}
              strokeWidth={e.critical ? 3 : 2}
              markerEnd={`url(#${e.critical ? "arrow-critical" : "arrow"})`}
            />
          ))}
          {l.nodes.map(({ id, x, y, width, height, node }) => {
            const tone = toneOf(node.status);
            return (
              <foreignObject key={id} x={x} y={y} width={width} height={height}>
                <Link
                  href={`/tasks/${id}`}
                  data-slot="dag-node"
                  data-status={node.status}
                  data-critical={node.critical}
                  className={cn(
                    "relative flex h-full flex-col justify-between border-2 bg-panel py-1.5 pr-2 pl-4 text-[11px] hover:bg-raised",
                    node.critical ? "border-accent" : "border-line",
                  )}
                >
                  <span
                    aria-hidden
                    className={cn(
                      "absolute inset-y-0 left-0 w-1.5",
                      toneBg[tone],
                      node.status === "running" && "animate-pulse-square",
                    )}
                  />
                  <span className="truncate text-[12px] font-bold text-fg">{node.title}</span>
                  <span className="flex items-center justify-between gap-2">
                    <span className={cn("label text-[10px]", toneText[tone])}>{statusLabel(node.status)}</span>
                    <span className="num text-muted">{formatHours(node.hours)}</span>
                  </span>
                  <span className="flex items-center justify-between gap-2">
                    <span className={cn("label text-[10px]", node.critical ? "text-accent-strong" : "text-subtle")}>
                      {node.critical ? "critical" : `slack ${formatHours(node.slack)}`}
                    </span>
                    <span className="num text-subtle">
                      {formatHours(node.earliestStart)}→{formatHours(node.earliestFinish)}
                    </span>
                  </span>
                </Link>
              </foreignObject>
            );
          })}
        </svg>
      ) : null}
    </div>
  );
}
