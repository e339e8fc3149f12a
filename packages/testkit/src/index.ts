export * from "./test-database";
export * from "./pg-admin";
export * from "./temp-dir";
export * from "./wait-for";
