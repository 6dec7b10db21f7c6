export * from "./provider";
export * from "./errors";
export * from "./http";
export * from "./pennylane";
export * from "./sage-active";
