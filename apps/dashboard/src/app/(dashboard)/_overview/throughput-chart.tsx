"use client";

import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import type uPlot from "uplot";

/** Half a bucket of room at each end of the time axis, so the first and last bars are drawn whole. */
function padHalfBucket(u: uPlot, min: number, max: number): [number, number] {
  const xs = u.data[0];
  const half = xs.length > 1 ? (xs[1]! - xs[0]!) / 2 : 1800;
  return [min - half, max + half];
}

/**
 * Sessions finished per hour, drawn with uPlot (a maintained, dependency-free
 * canvas chart, ~50 kB): square bars, no curves, the theme's colours read
 * from its CSS variables. The unsuccessful runs are drawn over the total,
 * from the baseline, so each bar reads as "how many, how many of them went
 * wrong". uPlot touches `window` when loaded: it is imported in the effect.
 */
export function ThroughputChart({ data, label }: { data: [number[], number[], number[]]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);

  // Before the chart's effect: the chart, made once uPlot has loaded, starts from the latest data.
  useEffect(() => {
    latest.current = data;
    plot.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const css = getComputedStyle(el);
      const color = (name: string) => css.getPropertyValue(name).trim();
      const axis = {
        stroke: color("--color-subtle"),
        grid: { stroke: color("--color-line"), width: 1 },
        ticks: { stroke: color("--color-line"), width: 1 },
        font: `11px ${color("--font-mono") || "monospace"}`,
      };
      const bars = UPlot.paths.bars!({ size: [0.8, 24], gap: 1 });
      plot.current = new UPlot(
        {
          width: Math.max(120, el.clientWidth),
          height: 132,
          legend: { show: false },
          cursor: { show: false },
          // UTC, as the "today" figures beside it.
          tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
          scales: {
            x: { time: true, range: padHalfBucket },
            y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
          },
          axes: [
            {
              ...axis,
              size: 28,
              values: (_u, ticks) => ticks.map((t) => `${new Date(t * 1000).toISOString().slice(11, 13)}h`),
            },
            // Whole sessions only: no 0.5 on the scale.
            { ...axis, size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] },
          ],
          series: [
            {},
            {
              label: "finished",
              fill: color("--color-accent"),
              stroke: color("--color-accent"),
              width: 0,
              paths: bars,
              points: { show: false },
            },
            {
              label: "unsuccessful",
              fill: color("--color-st-failed"),
              stroke: color("--color-st-failed"),
              width: 0,
              paths: bars,
              points: { show: false },
            },
          ],
        },
        latest.current,
        el,
      );
      observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(120, el.clientWidth), height: 132 }));
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <div
      ref={box}
      role="img"
      aria-label={label}
      data-slot="throughput-chart"
      className="h-[132px] w-full overflow-hidden"
    />
  );
}
