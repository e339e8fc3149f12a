import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** An address that names no page (outside the shell: it may be visited signed out). */
export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-xl flex-col justify-center px-4 py-10">
      <div className="flex flex-col items-start gap-4 border-2 border-line bg-panel p-8 shadow-hard">
        <p className="label text-st-failed">404 · Not found</p>
        <h1 className="text-xl font-bold uppercase">No such page</h1>
        <p className="text-sm text-muted">The address names nothing the orchestrator knows.</p>
        <Link href="/" className={buttonClass({})}>
          Back to overview
        </Link>
      </div>
    </main>
  );
}
