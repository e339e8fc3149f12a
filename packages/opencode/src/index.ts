export * from "./workspace";
export * from "./driver";
export * from "./work-remote";
export * from "./mirror";
export * from "./agent-gate";
export * from "./sandbox";
// Process and transport layer: the OpenCode binary, its config, managed
// `opencode serve` children, the event stream and the HTTP client.
export {
  computeBinaryPackages,
  getOpenCodeVersion,
  resolveOpenCodeBinary,
  type ResolveBinaryOptions,
} from "./runner/opencode-binary";
export {
  computeOpenCodeConfig,
  computePermissions,
  computeTemperatureAgents,
  resolveOpenCodeAgent,
  SCRIPTED_MODEL,
  SCRIPTED_MODEL_ID,
  SCRIPTED_MODEL_LARGE_ID,
  SCRIPTED_MODEL_OVERLOADED_ID,
  SCRIPTED_MODEL_UNAVAILABLE_ID,
  SCRIPTED_PROVIDER_ID,
  type OpenCodeAgentConfig,
  type OpenCodeConfig,
  type OpenCodeConfigOptions,
  type PermissionAction,
  type PermissionOverrides,
  type PermissionRule,
} from "./runner/opencode-config";
export {
  createManagedRunner,
  defaultManagedRunnerOptions,
  type ManagedRunner,
  type ManagedRunnerEvent,
  type ManagedRunnerListener,
  type ManagedRunnerOptions,
  type ManagedRunnerState,
} from "./runner/managed-runner";
export { checkHealth, type RunnerHealthCheck, type RunnerLogLine } from "./runner/runner-process";
export {
  computeRunnerEnv,
  computeIsolatedDirs,
  CONFINED_ENV,
  OFFLINE_ENV,
  type IsolatedDirs,
} from "./runner/runner-env";
export { computeRunnerEnvProblems, RUNNER_BASE_ENV } from "./runner/runner-env-policy";
export {
  findMarkedProcesses,
  isProcessAlive,
  killStaleRunner,
  readRssBytes,
  PIDFILE_NAME,
  RUNNER_MARKER_ENV,
} from "./runner/process-control";
export {
  OpenCodeEventEnvelope,
  subscribeEvents,
  type EventStreamProblem,
  type EventStreamStatus,
  type EventStreamStatusDetail,
  type EventSubscription,
  type OpenCodeEvent,
  type SubscribeEventsOptions,
} from "./event-stream";
export {
  createOpenCodeClient,
  OpenCodeRequestError,
  type ConfigProviders,
  type OpenCodeClient,
  type OpenCodeClientOptions,
  type OpenCodeCallObserver,
  type PromptInput,
  type SessionMessage,
} from "./opencode-client";
export { listModelRefs, parseModelRef, type ModelRef } from "./model-ref";
export { computeBackoffDelay, type BackoffOptions } from "./backoff";
export { computeRunnerAuthHeaders } from "./runner/runner-auth";
