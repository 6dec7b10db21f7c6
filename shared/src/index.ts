export * from "./errors";
export * from "./money";
export * from "./totals";
export * from "./vat";
export * from "./dates";
export * from "./model";
export * from "./status";
