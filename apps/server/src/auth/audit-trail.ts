import { computeActor } from "@industrial/core";
import { insertAuditEntry, type Database } from "@industrial/db";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The audit log (docs/security.md): every mutating request of a known caller —
 * refused ones included — is written before its answer leaves, with the route,
 * the path it acted on (ids, never bodies: no secret reaches the log) and the
 * status. Requests without a valid key are in the request log only: they
 * have no tenant to be filed under.
 */
export function registerAuditTrail(
  app: FastifyInstance,
  input: { tenantDb(tenantId: string): Database; log: Logger },
): void {
  app.addHook("onSend", async (req, reply, payload) => {
    const action = req.routeOptions.config?.routeName;
    const caller = req.caller;
    if (READS.has(req.method) || !action || !caller) return payload;
    try {
      await insertAuditEntry(input.tenantDb(caller.tenantId), {
        tenantId: caller.tenantId,
        keyId: caller.keyId,
        userId: caller.userId,
        actor: computeActor(caller),
        action,
        target: `${req.method} ${req.url.split("?")[0]}`,
        status: reply.statusCode,
        requestId: req.id,
      });
    } catch (err) {
      input.log.error({ requestId: req.id, err }, "audit entry could not be written");
    }
    return payload;
  });
}
