/**
 * The credential check: who the token acts for.
 * GET /me — https://pennylane.readme.io/reference/getme
 */
import { normalizeIdentifier } from "@encaisse/shared";
import type { ProviderIdentity } from "../provider";
import type { PennylaneApi } from "./api";
import { meSchema } from "./schemas";

export async function probe(api: PennylaneApi): Promise<ProviderIdentity> {
  const me = await api.get("me", meSchema);
  const regNo = normalizeIdentifier(me.company.reg_no ?? "");
  return {
    provider: "pennylane",
    companyId: String(me.company.id),
    companyName: me.company.name,
    companySiren: /^\d{9}$/.test(regNo) ? regNo : /^\d{14}$/.test(regNo) ? regNo.slice(0, 9) : null,
    userEmail: me.user?.email?.trim() || null,
    scopes: me.scopes,
  };
}
