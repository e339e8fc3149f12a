export * from "./ports";
export * from "./opencode-events";
export * from "./classify-error";
export * from "./prompt";
export * from "./attempt-run";
export * from "./create-driver";
export * from "./transport";
export { activeDirectories, forgetRunner, isDirectoryInUse } from "./directory-instances";
