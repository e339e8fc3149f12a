import { routeAccess, routes, type RouteDef, type RouteName } from "@industrial/contracts";
import { InvalidInputError, type ErrorDetail, type Principal } from "@industrial/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { ServiceDeps } from "./services/deps";

declare module "fastify" {
  interface FastifyInstance {
    /** The services' dependencies for one caller: its tenant (row-level security included) and itself. */
    scopeDeps(caller: Principal): ServiceDeps;
  }
}

type In<S> = S extends z.ZodType ? z.output<S> : undefined;
export interface RouteInput<R extends RouteDef> {
  params: In<R["params"]>;
  query: In<R["query"]>;
  body: In<R["body"]>;
  /** Services scoped to the caller (not available on public routes). */
  deps: ServiceDeps;
  caller: Principal;
  request: FastifyRequest;
  reply: FastifyReply;
}

const NAMES = new Map<RouteDef, RouteName>(
  Object.entries(routes).map(([name, def]) => [def as RouteDef, name as RouteName]),
);

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

const noCaller = (): never => {
  throw new Error("a public route asked for the caller's services");
};

/**
 * Registers a route from its catalogue entry: its row of the access table
 * goes into the route's config (the auth hook reads it before anything
 * else), input is parsed with the route's zod schemas (every failing field is
 * reported), and the handler gets typed values and the caller's services.
 */
export function defineRoute<R extends RouteDef>(
  app: FastifyInstance,
  def: R,
  handler: (input: RouteInput<R>) => Promise<unknown>,
): void {
  const name = NAMES.get(def);
  if (!name) throw new Error(`route ${def.method} ${def.path} is not in the catalogue`);
  app.route({
    method: def.method,
    url: def.path,
    config: { routeName: name, access: routeAccess[name] },
    handler: async (request, reply) => {
      const params = parse(def.params, request.params, "params");
      const query = parse(def.query, request.query ?? {}, "query");
      const body = parse(def.body, request.body, "body");
      const caller = request.caller;
      const input = { params, query, body, request, reply } as RouteInput<R>;
      Object.defineProperties(input, {
        caller: { get: () => caller ?? noCaller() },
        deps: { get: () => (caller ? app.scopeDeps(caller) : noCaller()) },
      });
      const result = await handler(input);
      if (reply.statusCode === 200 && def.status) reply.status(def.status);
      return result;
    },
  });
}
