import type { z } from "zod";

/** One route of the catalogue: method, path, the schemas of what comes in and goes out, and the success status. */
export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
}

/**
 * Declares a route, keeping its literal types (method, path, the exact
 * schemas) for the typed client and server.
 */
export const route = <const R extends RouteDef>(r: R) => r;
