import type { Metadata } from "next";
import { safeNext } from "@/lib/sign-in";
import { SignInForm } from "./components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/**
 * Outside the shell: the one page that works signed out. `?next=` is where
 * to go afterwards, kept only when it is a path of this site.
 */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).next;
  const next = safeNext(typeof raw === "string" ? raw : null);
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center px-4 py-10">
      <SignInForm next={next} />
    </main>
  );
}
