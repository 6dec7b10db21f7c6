/**
 * Checks a Sage Active GraphQL document (and optionally its variables) against the SDL in
 * functions/src/providers/sage-active/schema.graphql, the way the server would before
 * running it: syntax, validation (unknown fields, wrong argument types, undeclared
 * variables...), then coercion of the variables (wrong types, missing required values,
 * strings sent for Decimal) and variables the document does not declare.
 *
 * `validateSageQuery` returns readable problems (empty when valid);
 * `assertValidSageQuery` throws them, for use inside client tests.
 */
import {
  type GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  type OperationDefinitionNode,
  parse,
  type DocumentNode,
  Kind,
  validate,
} from "graphql";
import { buildSageActiveSchema } from "../emulators/sage-active/schema";

let schema: GraphQLSchema | undefined;

function sageSchema(): GraphQLSchema {
  schema ??= buildSageActiveSchema();
  return schema;
}

function explain(error: GraphQLError): string {
  const location = error.locations?.[0];
  return location
    ? `${error.message} (line ${location.line}, column ${location.column})`
    : error.message;
}

function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
}

export function validateSageQuery(query: string, variables?: Record<string, unknown>): string[] {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [explain(error as GraphQLError)];
  }
  const problems = validate(sageSchema(), document).map(explain);
  if (problems.length > 0 || variables === undefined) return problems;
  for (const operation of operationsOf(document)) {
    const definitions = operation.variableDefinitions ?? [];
    const declared = new Set(definitions.map((definition) => definition.variable.name.value));
    const coerced = getVariableValues(sageSchema(), definitions, variables);
    if (coerced.errors) problems.push(...coerced.errors.map(explain));
    for (const name of Object.keys(variables)) {
      if (!declared.has(name)) {
        const label = operation.name ? `operation "${operation.name.value}"` : "the operation";
        problems.push(`Variable "$${name}" is not declared by ${label}.`);
      }
    }
  }
  return problems;
}

export function assertValidSageQuery(query: string, variables?: Record<string, unknown>): void {
  const problems = validateSageQuery(query, variables);
  if (problems.length > 0) {
    throw new Error(
      `The document does not match the Sage Active SDL:\n- ${problems.join("\n- ")}\n\n${query.trim()}`,
    );
  }
}
