import { coerceError, type AttemptContext, type PromptContext } from "@industrial/core";
import {
  checkpointedMessageIds,
  checkpointPushHistory,
  contextsForSession,
  countInfraRestarts,
  latestToolStatuses,
  readResumePoint,
  type Database,
} from "@industrial/db";
import type { Logger } from "./logger";
import type { SupervisedAttempt } from "./supervised-attempt";
import { retryThroughOutage } from "./outage-retry";

/** What the supervisor reads before starting the driver: the parts of AttemptContext that come from the database. */
export type AttemptInputs = Pick<
  AttemptContext,
  "known" | "contexts" | "checkpointHistory" | "resumePoint" | "infraRestarts"
>;

/**
 * Reads an attempt's inputs, after its claim committed (every checkpoint an
 * earlier holder could still push is in the history). Waits a database
 * outage out; the contexts alone are optional (a failed read is logged and
 * the attempt goes on without them).
 */
export async function readAttemptInputs(
  db: Database,
  run: SupervisedAttempt,
  io: { log: Logger; random: () => number; giveUp: () => boolean; warn: (text: string) => void },
): Promise<AttemptInputs> {
  const { session, attempt, mode } = run;
  const through = <T>(what: string, read: () => Promise<T>) =>
    retryThroughOutage(read, { what, log: io.log, random: io.random, giveUp: io.giveUp });
  const known =
    mode === "start"
      ? { checkpointedMessages: [], toolCalls: {} }
      : await through("read of the attempt's log", async () => ({
          checkpointedMessages: await checkpointedMessageIds(db, session.tenantId, session.id, attempt.number),
          toolCalls: await latestToolStatuses(db, session.tenantId, session.id, attempt.number),
        }));
  // A resume continues the OpenCode session with a continuation prompt: the first prompt already had them.
  const contexts = mode === "resume" ? [] : await contextsOf(db, run, io);
  return through("read of the session's checkpoints", async () => ({
    known,
    contexts,
    checkpointHistory: await checkpointPushHistory(db, session.tenantId, session.id),
    resumePoint: await readResumePoint(db, session),
    infraRestarts: await countInfraRestarts(db, session.tenantId, session.id),
  }));
}

/**
 * The contexts given to the agent at the start of the attempt's first
 * prompt: the session's own, its agent's, temporary ones for either, and
 * global ones. They help; they are not required.
 */
async function contextsOf(
  db: Database,
  run: SupervisedAttempt,
  io: { log: Logger; warn: (text: string) => void },
): Promise<PromptContext[]> {
  const { session, agent } = run;
  try {
    const found = await contextsForSession(db, {
      tenantId: session.tenantId,
      sessionId: session.id,
      agentId: agent.id,
    });
    return found.map((c) => ({ id: c.id, scope: c.scope, name: c.name, version: c.version, data: c.data }));
  } catch (e) {
    io.log.warn({ err: coerceError(e).message }, "contexts could not be read; prompting without them");
    io.warn(`the session's contexts could not be read: ${coerceError(e).message}`);
    return [];
  }
}
