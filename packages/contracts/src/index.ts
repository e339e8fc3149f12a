export * from "./common";
export * from "./sessions";
export * from "./events";
export * from "./health";
export * from "./routes";
export * from "./openapi";
export * from "./client";
