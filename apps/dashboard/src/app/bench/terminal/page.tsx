import type { Metadata } from "next";
import { Suspense } from "react";
import { TerminalBench } from "./terminal-bench";

export const metadata: Metadata = { title: "Terminal benchmark" };

/** `npm run bench:terminal` opens this page: the live terminal with N synthetic lines (not in the nav). */
export default function TerminalBenchPage() {
  return (
    <Suspense fallback={null}>
      <TerminalBench />
    </Suspense>
  );
}
