/**
 * Reading what a card rendered: all the text under a node (a node's own `text` holds only
 * its direct text children), the cells of a table's body rows, and the props of components
 * whose props are a union (a paginated table), and firing their event handlers.
 */
import { type TablePaginatedProps, TableBody, TableCell, TableRow } from "@hubspot/ui-extensions";
import { type RenderedElementNode, RenderedNodeType } from "@hubspot/ui-extensions/testing";

type Node = { nodeType: RenderedNodeType; text?: string | null; childNodes?: readonly Node[] };

export function textOf(node: Node): string {
  if (node.nodeType === RenderedNodeType.Text) return node.text ?? "";
  return (node.childNodes ?? []).map(textOf).join("");
}

export function bodyRows(table: Pick<RenderedElementNode, "find">): string[][] {
  return table
    .find(TableBody)
    .findAll(TableRow)
    .map((row) => row.findAll(TableCell).map(textOf));
}

export const asPaginatedTable = (node: object) =>
  node as RenderedElementNode<TablePaginatedProps & Record<string, unknown>>;

/**
 * Fires an event handler prop with the value a user's action gives it, the way `trigger`
 * does (`trigger` types its argument as the handler itself, not as the handler's value).
 */
export function fire(node: { trigger: unknown }, handler: string, value?: unknown): void {
  (node.trigger as (handler: string, value?: unknown) => void)(handler, value);
}

/** Waits long enough for a first card view, which syncs the customer from the provider. */
export const FIRST_VIEW = { timeoutInMs: 20_000 } as const;
