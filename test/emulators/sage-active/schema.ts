/**
 * Builds the Sage Active schema from the SDL the client is written against
 * (functions/src/providers/sage-active/schema.graphql), so that the emulator executes and
 * the contract checker validates against one and the same file.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSchema, GraphQLScalarType, type GraphQLSchema } from "graphql";
import { type DateOutput, dateTimeScalar, decimalScalar, uuidScalar } from "./scalars";

export const SAGE_ACTIVE_SDL_PATH = fileURLToPath(
  new URL("../../../functions/src/providers/sage-active/schema.graphql", import.meta.url),
);

let cachedSdl: string | undefined;

export function readSageActiveSdl(): string {
  cachedSdl ??= readFileSync(SAGE_ACTIVE_SDL_PATH, "utf8");
  return cachedSdl;
}

export interface SageSchemaOptions {
  /** How date-only fields are answered; "date-time" is what Hot Chocolate does. */
  readonly dateOutput?: DateOutput;
}

function scalarType(schema: GraphQLSchema, name: string): GraphQLScalarType {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLScalarType))
    throw new Error(`The Sage Active SDL lacks the scalar ${name}.`);
  return type;
}

/** A fresh schema instance with the UUID, DateTime and Decimal scalars wired in. */
export function buildSageActiveSchema(options: SageSchemaOptions = {}): GraphQLSchema {
  const schema = buildSchema(readSageActiveSdl());
  Object.assign(scalarType(schema, "UUID"), uuidScalar());
  Object.assign(scalarType(schema, "DateTime"), dateTimeScalar(options.dateOutput ?? "date-time"));
  Object.assign(scalarType(schema, "Decimal"), decimalScalar());
  return schema;
}
