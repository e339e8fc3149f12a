import { computeOpenCodeConfig, createManagedRunner, type ManagedRunner } from "@industrial/opencode";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { tempDir } from "@industrial/testkit";

export interface OperatorRunner {
  model: ScriptedModel;
  runner: ManagedRunner;
  /** Stops the runner and the model, and removes the runner's folder. */
  close(): Promise<void>;
}

/**
 * A remote runner as an operator may run one, outside every replica, without
 * a password (ORCHESTRATOR_REMOTE_RUNNERS names none), on its own scripted
 * model: what several replicas of one test share.
 */
export async function startOperatorRunner(): Promise<OperatorRunner> {
  const dir = tempDir("orch-remote-");
  const model = await createScriptedModel({ port: 0 });
  let runner: ManagedRunner;
  try {
    runner = await createManagedRunner({
      stateDir: dir.path,
      config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
      isolate: true,
      authenticate: false,
    });
  } catch (e) {
    await model.close();
    dir.remove();
    throw e;
  }
  return {
    model,
    runner,
    async close() {
      await runner.stop();
      await model.close();
      dir.remove();
    },
  };
}
