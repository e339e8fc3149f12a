import websocket from "@fastify/websocket";
import { Uuid, WsCloseCode, wsEndpointAccess, wsRooms, type WsEndpointPath, type WsIssue } from "@industrial/contracts";
import {
  coerceError,
  computeActingTenant,
  ErrorCode,
  isOutageError,
  isRoleAtLeast,
  type Access,
} from "@industrial/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { z } from "zod";
import { selectProtocol, tokenOf, type WsAuthResult } from "./auth";
import { frame } from "./frames";
import type { WsHub } from "./hub";

/** The six endpoints of docs/api.md; each subscribes its own room on connect. */
const ENDPOINTS: { path: WsEndpointPath; room: (id: string) => string; replay?: true }[] = [
  { path: "/ws/sessions/:id", room: wsRooms.session, replay: true },
  { path: "/ws/sessions", room: () => wsRooms.sessions },
  { path: "/ws/agents/:id", room: wsRooms.agent },
  { path: "/ws/agents", room: () => wsRooms.agents },
  { path: "/ws/tasks/:id", room: wsRooms.task },
  { path: "/ws/system", room: () => wsRooms.system },
];

const Query = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/, { error: "must be a non-negative integer (a seq)" })
    .transform(Number)
    .optional(),
  token: z.string().optional(),
  /** An admin of the default tenant watching another tenant (as X-Tenant-Id does for REST). */
  tenantId: Uuid.optional(),
});

type Endpoint =
  { ok: true; room: string; after: number | null; tenantId: string | null } | { ok: false; issues: WsIssue[] };

function parseEndpoint(e: (typeof ENDPOINTS)[number], req: FastifyRequest): Endpoint {
  const issues: WsIssue[] = [];
  const id = (req.params as { id?: string }).id ?? "";
  if (e.path.endsWith(":id") && !Uuid.safeParse(id).success)
    issues.push({ path: "params.id", reason: "must be a UUID" });
  const q = Query.safeParse(req.query ?? {});
  if (!q.success)
    for (const i of q.error.issues) {
      if (i.code === "unrecognized_keys")
        issues.push(...i.keys.map((k) => ({ path: `query.${k}`, reason: "unknown parameter" })));
      else issues.push({ path: ["query", ...i.path.map(String)].join("."), reason: i.message });
    }
  if (q.success && q.data.after !== undefined && !e.replay)
    issues.push({ path: "query.after", reason: "only /ws/sessions/{id} replays" });
  if (issues.length || !q.success) return { ok: false, issues };
  return { ok: true, room: e.room(id), after: q.data.after ?? null, tenantId: q.data.tenantId ?? null };
}

/**
 * Serves the WebSocket endpoints on the API's port. Authentication runs
 * before the upgrade (the seam may be async; no frame can arrive before it
 * answers) and a refusal is told after it: error frame, then close 1008.
 */
export async function registerWebSocketRoutes(app: FastifyInstance, hub: WsHub): Promise<void> {
  // `unavailable`: the key could not be checked because the database is away — not a refusal of the key.
  const auth = new WeakMap<FastifyRequest, WsAuthResult | { ok: false; reason: string; unavailable: true }>();
  await app.register(websocket, {
    options: { maxPayload: hub.options.maxPayloadBytes, handleProtocols: (protocols) => selectProtocol(protocols) },
    errorHandler: (err, socket, req) => {
      req.log.warn({ err: coerceError(err).message }, "websocket error");
      socket.terminate();
    },
    preClose: (done) => {
      hub.close();
      done();
    },
  });

  const authenticateRequest = async (req: FastifyRequest) => {
    try {
      const token = tokenOf(req.query, req.headers);
      auth.set(
        req,
        await hub.authenticate({ token, headers: req.headers, path: req.url.split("?")[0]!, remoteAddress: req.ip }),
      );
    } catch (e) {
      if (isOutageError(e)) {
        req.log.warn({ err: coerceError(e).message }, "websocket authentication unavailable");
        auth.set(req, {
          ok: false,
          reason: "the database cannot be reached right now; reconnect in a few seconds",
          unavailable: true,
        });
        return;
      }
      req.log.error({ err: coerceError(e).message }, "websocket authentication failed");
      auth.set(req, { ok: false, reason: "authentication failed" });
    }
  };

  for (const e of ENDPOINTS)
    app.get(
      e.path,
      { websocket: true, preValidation: authenticateRequest },
      (socket: WebSocket, req: FastifyRequest) => {
        const principal = auth.get(req) ?? { ok: false, reason: "not authenticated" };
        if (!principal.ok) {
          hub.counters.refused++;
          // 1013 (try again later), not 1008: clients reconnect instead of asking for a new key.
          const unavailable = "unavailable" in principal;
          socket.send(
            frame("error", {
              code: unavailable ? ErrorCode.UNAVAILABLE : ErrorCode.UNAUTHENTICATED,
              message: principal.reason,
            }).data,
            { binary: false },
          );
          socket.close(
            unavailable ? WsCloseCode.TRY_AGAIN_LATER : WsCloseCode.UNAUTHENTICATED,
            principal.reason.slice(0, 120),
          );
          return;
        }
        const endpoint = parseEndpoint(e, req);
        if (!endpoint.ok) {
          const message = endpoint.issues.map((i) => `${i.path}: ${i.reason}`).join("; ");
          socket.send(frame("error", { code: ErrorCode.INVALID_INPUT, message, details: endpoint.issues }).data, {
            binary: false,
          });
          socket.close(WsCloseCode.BAD_REQUEST, message.slice(0, 120));
          return;
        }
        // The endpoint's row of the access table, and the tenant it watches (another only for the operator's admins).
        const caller = principal.principal;
        const acting =
          caller.homeTenantId && caller.role
            ? computeActingTenant({ homeTenantId: caller.homeTenantId, role: caller.role }, endpoint.tenantId)
            : { ok: true as const, tenantId: caller.tenantId };
        const needed = wsEndpointAccess[e.path] as Access;
        const refusal = !acting.ok
          ? acting.reason
          : needed !== "public" && caller.role && !isRoleAtLeast(caller.role, needed)
            ? `${e.path} needs the ${needed} role`
            : null;
        if (refusal) {
          socket.send(frame("error", { code: ErrorCode.FORBIDDEN, message: refusal }).data, { binary: false });
          socket.close(WsCloseCode.UNAUTHENTICATED, refusal.slice(0, 120));
          return;
        }
        hub.accept(
          socket,
          { ...caller, tenantId: acting.ok ? acting.tenantId : caller.tenantId },
          endpoint,
          req.raw.socket,
        );
      },
    );
}
