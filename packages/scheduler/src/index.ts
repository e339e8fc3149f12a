export * from "./event-bus";
export * from "./notice-bus";
export * from "./logger";
export * from "./usage";
export * from "./attempt-supervisor";
export * from "./scheduler";
export * from "./observer";
