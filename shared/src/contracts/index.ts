export * from "./errors";
export * from "./endpoints";
export * from "./summary";
