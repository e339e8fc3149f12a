import "@fontsource/jetbrains-mono/400.css";
import "@fontsource/jetbrains-mono/500.css";
import "@fontsource/jetbrains-mono/700.css";
import "./globals.css";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/shell/providers";

export const metadata: Metadata = {
  title: { default: "Industrial Orchestrator", template: "%s · Industrial Orchestrator" },
  description: "Control plane for fleets of autonomous coding-agent sessions",
};

export const viewport: Viewport = { themeColor: "#0b0b0c", colorScheme: "dark" };

/**
 * The document: fonts, tokens, server state and toasts. The shell (sidebar,
 * live feed, the wait for /me) is the (dashboard) group's layout, so the
 * sign-in page and the benchmark render without it.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="bg-bg text-fg">
        <a
          href="#main"
          className="label sr-only z-50 bg-accent px-3 py-2 text-ink focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
