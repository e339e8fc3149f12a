import { DEFAULT_TENANT_ID, type BreakerPolicy } from "@industrial/core";
import { ensureDefaultAgent, type Database } from "@industrial/db";
import type { Logger } from "pino";
import type { Access } from "../auth/setup-access";
import type { Config } from "../config";
import { createRunnerPool, type RunnerPool } from "../runtime/runner-pool";
import type { Defer } from "./defer";

/** The runner pool of the default tenant, and the default agent on its default runner. */
export async function wireRunners(input: {
  config: Config;
  db: Database;
  replica: string;
  /** The replica that held this data dir before (its processes and rows are gone). */
  previousReplica: string | null;
  logger: Logger;
  scriptedModelUrl: string | null;
  access: Pick<Access, "revealRunnerPassword" | "sealRunnerPassword">;
  breakerPolicy: BreakerPolicy;
  defer: Defer;
}): Promise<RunnerPool> {
  const { config, db } = input;
  const runners = await createRunnerPool({
    db,
    config,
    replica: input.replica,
    previousReplica: input.previousReplica,
    tenantId: DEFAULT_TENANT_ID,
    logger: input.logger,
    scriptedModelUrl: input.scriptedModelUrl,
    revealPassword: input.access.revealRunnerPassword,
    sealPassword: input.access.sealRunnerPassword,
  });
  input.defer(() => runners.stop());
  await ensureDefaultAgent(db, {
    tenantId: DEFAULT_TENANT_ID,
    runnerId: runners.defaultRunnerId,
    maxConcurrent: config.ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY,
    model: null,
    breakerCooldownSeconds: input.breakerPolicy.baseCooldownSeconds,
  });
  return runners;
}
