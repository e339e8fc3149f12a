export * from "./event-bus";
export * from "./logger";
export * from "./usage";
export * from "./attempt-supervisor";
export * from "./scheduler";
