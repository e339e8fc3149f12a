import { z } from "zod";

/**
 * Runs before any of the dashboard's own code (Next loads this file first).
 * zod compiles fast paths with `Function(...)` when it may, and finds out by
 * trying once as the first schema is built — which the dashboard's
 * Content-Security-Policy (no 'unsafe-eval') refuses and reports as a
 * violation on every page. Said up front instead: the browser validates
 * without generated code (its answers are small; the server keeps the fast
 * paths).
 */
z.config({ jitless: true });
