import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="flex flex-col items-start gap-4 border-2 border-line p-8">
      <p className="label text-st-failed">404 · Not found</p>
      <h1 className="text-xl font-bold uppercase">No such page</h1>
      <p className="text-sm text-muted">The address names nothing the orchestrator knows.</p>
      <Link href="/" className={buttonClass({})}>
        Back to overview
      </Link>
    </div>
  );
}
