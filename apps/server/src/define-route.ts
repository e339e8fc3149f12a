import { InvalidInputError, type ErrorDetail } from "@industrial/core";
import type { RouteDef } from "@industrial/contracts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";

type In<S> = S extends z.ZodType ? z.output<S> : undefined;
export interface RouteInput<R extends RouteDef> {
  params: In<R["params"]>;
  query: In<R["query"]>;
  body: In<R["body"]>;
  request: FastifyRequest;
  reply: FastifyReply;
}

function issuesToDetails(prefix: string, error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((i) => {
    const base = [prefix, ...i.path.map(String)].join(".");
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: `${base}.${k}`, reason: "unknown field" }));
    return [{ path: base, reason: i.message }];
  });
}

function parse<S extends z.ZodType | undefined>(schema: S, value: unknown, where: string): In<S> {
  if (!schema) return undefined as In<S>;
  const r = schema.safeParse(value);
  if (r.success) return r.data as In<S>;
  const details = issuesToDetails(where, r.error);
  const fields = details.map((d) => d.path).join(", ");
  throw new InvalidInputError(`invalid ${where}: ${fields}`, details);
}

/**
 * Registers a route from its catalogue entry: input is parsed with the
 * route's zod schemas (every failing field is reported), the handler gets
 * typed values, and errors go to the one error handler.
 */
export function defineRoute<R extends RouteDef>(app: FastifyInstance, def: R, handler: (input: RouteInput<R>) => Promise<unknown>): void {
  app.route({
    method: def.method,
    url: def.path,
    handler: async (request, reply) => {
      const params = parse(def.params, request.params, "params");
      const query = parse(def.query, request.query ?? {}, "query");
      const body = parse(def.body, request.body, "body");
      const result = await handler({ params, query, body, request, reply } as RouteInput<R>);
      if (reply.statusCode === 200 && def.status) reply.status(def.status);
      return result;
    },
  });
}
