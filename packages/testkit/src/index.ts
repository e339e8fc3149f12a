export * from "./test-database";
export * from "./pg-admin";
export * from "./temp-dir";
export * from "./wait-for";
export * from "./prometheus-text";
export * from "./test-credentials";
export * from "./tcp-proxy";
export * from "./redis-server";
