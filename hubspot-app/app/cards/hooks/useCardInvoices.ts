/**
 * The invoices behind the record, as the card shows them: the first load, then each page,
 * sort or refresh keeping the last answer on screen until the next one arrives, and a
 * failed refresh kept next to the data it could not replace.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { CardInvoicesResponse } from "@encaisse/shared/contracts";
import { type BackendError, asBackendError, fetchCardInvoices } from "../utils/api.ts";
import type { CrmRecord } from "../utils/record.ts";
import { DEFAULT_INVOICE_ORDER, type InvoiceOrder } from "../utils/table.ts";

export type CardLoad =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly error: BackendError }
  | {
      readonly kind: "loaded";
      readonly view: CardInvoicesResponse;
      /** A page, sort or refresh is on its way; the view is the previous answer. */
      readonly updating: boolean;
      readonly updateError: BackendError | null;
    };

export interface CardInvoicesOptions {
  readonly pageSize: number;
  readonly locale?: string;
  readonly teamIds?: readonly number[];
  readonly order?: InvoiceOrder;
}

export interface CardInvoices {
  readonly load: CardLoad;
  readonly page: number;
  readonly order: InvoiceOrder;
  goToPage(page: number): void;
  sortBy(order: InvoiceOrder): void;
  /** Asks the backend to refresh from the accounting software now (`refresh=1`). */
  refresh(): void;
  /** Loads the same view again, e.g. after linking the company to a customer. */
  reload(): void;
}

export function useCardInvoices(record: CrmRecord, options: CardInvoicesOptions): CardInvoices {
  const { objectType, objectId } = record;
  const { pageSize, locale, teamIds } = options;
  const [page, setPage] = useState(1);
  const [order, setOrder] = useState<InvoiceOrder>(options.order ?? DEFAULT_INVOICE_ORDER);
  const [load, setLoad] = useState<CardLoad>({ kind: "loading" });
  const latestRequest = useRef(0);
  const teamKey = teamIds?.join(",") ?? "";

  const fetchView = useCallback(
    async (wanted: { page: number; order: InvoiceOrder; refresh: boolean }) => {
      const request = ++latestRequest.current;
      setLoad((previous) =>
        previous.kind === "loaded"
          ? { ...previous, updating: true, updateError: null }
          : { kind: "loading" },
      );
      try {
        const view = await fetchCardInvoices({
          objectType,
          objectId,
          page: wanted.page,
          pageSize,
          sort: wanted.order.sort,
          order: wanted.order.order,
          refresh: wanted.refresh,
          ...(locale === undefined ? {} : { locale }),
          teamIds: teamKey === "" ? [] : teamKey.split(",").map(Number),
        });
        if (request !== latestRequest.current) return;
        setLoad({ kind: "loaded", view, updating: false, updateError: null });
      } catch (thrown) {
        if (request !== latestRequest.current) return;
        const error = asBackendError(thrown);
        setLoad((previous) =>
          previous.kind === "loaded"
            ? { ...previous, updating: false, updateError: error }
            : { kind: "failed", error },
        );
      }
    },
    [objectType, objectId, pageSize, locale, teamKey],
  );

  useEffect(() => {
    void fetchView({ page, order, refresh: false });
  }, [fetchView, page, order]);

  return {
    load,
    page,
    order,
    goToPage: setPage,
    sortBy: (next) => {
      setOrder(next);
      setPage(1);
    },
    refresh: () => void fetchView({ page, order, refresh: true }),
    reload: () => void fetchView({ page, order, refresh: false }),
  };
}
