export { type SandboxPolicy, type SandboxTarget } from "./policy";
export { computeBwrapArgs, computeUlimits } from "./bwrap-args";
export { createSandbox, probeSandbox, type Sandbox, type SandboxProbe } from "./sandbox";
