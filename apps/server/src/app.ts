import { createHash, randomUUID } from "node:crypto";
import { buildOpenApiDocument, routes } from "@industrial/contracts";
import { ErrorCode, UnauthenticatedError, type Principal } from "@industrial/core";
import { findTenant, runWithRequest } from "@industrial/db";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import type { Logger } from "pino";
import { envelope, toHttpError } from "./http-errors";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "./json-depth";
import type { Metrics } from "./metrics/registry";
import { registerHealthRoutes, type HealthDeps } from "./routes/health";
import { registerAgentRoutes } from "./routes/agents";
import { registerContextRoutes } from "./routes/contexts";
import { registerRunnerRoutes } from "./routes/runners";
import { registerSessionRoutes } from "./routes/sessions";
import { registerInboxRoutes } from "./routes/inbox";
import { registerTaskRoutes } from "./routes/tasks";
import { registerTenantRoutes } from "./routes/tenants";
import { isDashboardPath, type DashboardHandler } from "./runtime/dashboard";
import { scopeDeps, type SharedDeps } from "./services/deps";
import { registerAuditTrail } from "./auth/audit-trail";
import type { Authenticator } from "./auth/authenticator";
import { registerHttpAuth, bearerOf } from "./auth/http-auth";
import { hashesMatch } from "./auth/api-key-material";
import { registerAccessRoutes } from "./routes/access";
import type { WsHub } from "./ws/hub";
import { registerWebSocketRoutes } from "./ws/routes";
import { registerEdge, type EdgeOptions } from "./http/edge";
import { dashboardSecurityHeaders, DOCS_CSP } from "./http/security-headers";

export interface AppDeps {
  services: SharedDeps;
  authenticator: Authenticator;
  /** Origins besides the server's own whose browsers may call the API. */
  corsOrigins: readonly string[];
  /** When set, /metrics needs it as a bearer token. */
  metricsToken: string | null;
  /** Proxies whose forwarding headers are believed (ORCHESTRATOR_TRUST_PROXY); absent: none. */
  trustProxy?: number | string[] | false;
  health: HealthDeps;
  logger: Logger;
  bodyLimit: number;
  version: string;
  /** The built dashboard, served for every path that is not the API's (null: not served). */
  dashboard?: DashboardHandler | null;
  /** The WebSocket endpoints' connections and rooms (same port as the API). */
  ws: WsHub;
  /** Prometheus metrics: HTTP requests are counted here, `/metrics` serves the registry. */
  metrics: Metrics;
  /** Host allow-list, CORS, security headers and rate limits (http/edge.ts). */
  edge: EdgeOptions;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** The route template (never the raw URL: one series per route, not per id); pages of the dashboard are one series. */
function routeLabel(template: string | undefined, url: string, dashboard: boolean): string {
  if (template) return template;
  return dashboard && isDashboardPath(url) ? "dashboard" : "unmatched";
}

/** The metrics token, compared in constant time (hashed first: the lengths may differ). */
function isMetricsToken(header: string | undefined, token: string): boolean {
  const given = bearerOf(header);
  if (!given.ok || !given.token) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest("hex");
  return hashesMatch(digest(given.token), digest(token));
}

/** The HTTP app: one error model, request ids, routes from the catalogue, OpenAPI at /openapi.json and /docs. */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // A number of hops trusts that many proxies nearest to us, whoever they are.
    trustProxy:
      typeof deps.trustProxy === "number"
        ? (_address: string, hop: number) => hop < (deps.trustProxy as number)
        : (deps.trustProxy ?? false),
    // Our own one-line request log (onResponse below) replaces Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit,
    requestIdHeader: false,
    // The request id reaches every line through the request context (logger mixin), not a per-request binding.
    childLoggerFactory: (logger, _bindings, opts) => logger.child({}, opts),
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // A context key's dot path is one URL parameter of up to 1 024 characters (encoded up to 3×).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
    // A malformed URL fails before routing (and before the error handler): the same envelope as every other error.
    frameworkErrors: (error, req, reply) => {
      const { status, body } = toHttpError(error, req.id);
      // Typed for the route that was never found: the plain reply type is what it is.
      void (reply as FastifyReply).header("x-request-id", req.id).status(status).send(body);
    },
  });

  // Our own JSON parser: an empty body is "no body" (POST /pause needs none),
  // malformed JSON is a 400 that says where it broke, and so is JSON nested too deep to validate.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return done(
        Object.assign(new Error(`malformed JSON: ${(e as Error).message}`), { statusCode: 400, code: "INVALID_JSON" }),
        undefined,
      );
    }
    if (exceedsJsonDepth(value, MAX_JSON_DEPTH))
      return done(
        Object.assign(new Error(`JSON nested more than ${MAX_JSON_DEPTH} levels deep`), {
          statusCode: 400,
          code: "JSON_TOO_DEEP",
        }),
        undefined,
      );
    done(null, value);
  });

  // Everything done while serving a request runs in its context (log lines, events written).
  // The body is parsed between these hooks on stream callbacks, so preValidation enters it again.
  app.addHook("onRequest", (req, reply, done) => {
    reply.header("x-request-id", req.id);
    runWithRequest(req.id, done);
  });
  app.addHook("preValidation", (req, _reply, done) => runWithRequest(req.id, done));
  app.addHook("onResponse", async (req, reply) => {
    const route = routeLabel(req.routeOptions.url, req.url, Boolean(deps.dashboard));
    deps.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    req.log.info(
      {
        requestId: req.id,
        method: req.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      "request",
    );
  });

  registerEdge(app, deps.edge);
  app.decorate("scopeDeps", (caller: Principal) => scopeDeps(deps.services, caller));
  registerHttpAuth(app, {
    authenticator: deps.authenticator,
    corsOrigins: deps.corsOrigins,
    tenantExists: async (id) => (await findTenant(deps.services.crossTenantDb, id)) !== null,
  });
  registerAuditTrail(app, { tenantDb: deps.services.tenantDb, log: deps.logger });

  app.setErrorHandler((error, req, reply) => {
    const { status, body, internal, retryAfterSeconds } = toHttpError(error, req.id);
    if (internal) req.log.error({ requestId: req.id, err: error }, "internal error");
    else if (status === 503) req.log.warn({ requestId: req.id, err: (error as Error).message }, "unavailable");
    if (retryAfterSeconds !== undefined) void reply.header("retry-after", String(retryAfterSeconds));
    reply.status(status).send(body);
  });
  const dashboardHeaders = deps.dashboard ? dashboardSecurityHeaders(deps.dashboard.dir) : null;
  app.setNotFoundHandler(async (req, reply) => {
    const dashboard = deps.dashboard;
    if (dashboard && (req.method === "GET" || req.method === "HEAD") && isDashboardPath(req.url)) {
      reply.hijack();
      dashboardHeaders?.(req.raw, reply.raw);
      await dashboard.handle(req.raw, reply.raw).catch((err: unknown) => {
        req.log.error({ requestId: req.id, err }, "dashboard request failed");
        if (!reply.raw.headersSent) reply.raw.writeHead(500, { "content-type": "text/plain" });
        reply.raw.end("dashboard error");
      });
      return;
    }
    return reply
      .status(404)
      .send(envelope(ErrorCode.NOT_FOUND, `no route ${req.method} ${req.url.split("?")[0]}`, req.id));
  });

  const document = buildOpenApiDocument(routes, { title: "Industrial Orchestrator API", version: deps.version });
  await app.register(swagger, { mode: "static", specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: DOCS_CSP });
  app.get("/openapi.json", async () => document);
  app.get("/metrics", async (req, reply) => {
    if (deps.metricsToken && !isMetricsToken(req.headers.authorization, deps.metricsToken))
      throw new UnauthenticatedError("/metrics needs Authorization: Bearer <ORCHESTRATOR_METRICS_TOKEN>");
    reply.header("content-type", deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  registerHealthRoutes(app, deps.health);
  registerAccessRoutes(app, {
    authenticator: deps.authenticator,
    secret: deps.services.secret,
    clock: deps.services.clock,
  });
  registerSessionRoutes(app, deps.services.clock);
  registerInboxRoutes(app);
  registerAgentRoutes(app, deps.services.clock);
  registerRunnerRoutes(app);
  registerTaskRoutes(app);
  registerContextRoutes(app);
  registerTenantRoutes(app);
  await registerWebSocketRoutes(app, deps.ws);
  return app;
}
