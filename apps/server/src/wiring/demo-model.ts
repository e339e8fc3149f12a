import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Defer } from "./defer";

export interface DemoModel {
  /** The scripted model in this process; null without demo mode or with ORCHESTRATOR_DEMO_MODEL_URL. */
  scriptedModel: ScriptedModel | null;
  /** Where sessions reach the scripted model (`…/v1`), here or elsewhere; null: the operator's providers. */
  scriptedModelUrl: string | null;
}

/**
 * Demo mode: the scripted model in this process, or one running elsewhere
 * (ORCHESTRATOR_DEMO_MODEL_URL, shared as a provider is). Warns about the
 * demo settings that are ignored.
 */
export async function startDemoModel(config: Config, logger: Logger, defer: Defer): Promise<DemoModel> {
  const externalModelUrl = config.ORCHESTRATOR_DEMO ? (config.ORCHESTRATOR_DEMO_MODEL_URL ?? null) : null;
  const scriptedModel =
    config.ORCHESTRATOR_DEMO && !externalModelUrl
      ? await createScriptedModel({
          port: 0,
          ...(config.ORCHESTRATOR_DEMO_REQUEST_LOG ? { requestLogFile: config.ORCHESTRATOR_DEMO_REQUEST_LOG } : {}),
        })
      : null;
  if (scriptedModel) defer(() => scriptedModel.close());
  const scriptedModelUrl = externalModelUrl ?? scriptedModel?.baseUrl ?? null;
  if (scriptedModelUrl)
    logger.warn(
      { url: scriptedModelUrl, external: externalModelUrl !== null },
      "DEMO MODE: sessions run against the scripted model (a replay server), not an LLM",
    );
  if (!config.ORCHESTRATOR_DEMO && config.ORCHESTRATOR_DEMO_MODEL_URL)
    logger.warn("ORCHESTRATOR_DEMO_MODEL_URL is set but demo mode is off: ignored");
  if (externalModelUrl && config.ORCHESTRATOR_DEMO_REQUEST_LOG)
    logger.warn(
      "ORCHESTRATOR_DEMO_REQUEST_LOG is ignored with ORCHESTRATOR_DEMO_MODEL_URL: the external model keeps its own log",
    );
  return { scriptedModel, scriptedModelUrl };
}
