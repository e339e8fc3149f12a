export * from "./workspace";
export * from "./driver";
