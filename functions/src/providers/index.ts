export * from "./provider";
export * from "./errors";
export * from "./http";
