/**
 * `public_file_url`: a signed link to the invoice PDF that works for 30 minutes, like
 * Pennylane's. Each rendering of an invoice signs a fresh link; fetching it after expiry is
 * refused with 403, so a client that stores the link instead of fetching it on demand fails.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const PUBLIC_FILE_TTL_MS = 30 * 60 * 1000;
export const PUBLIC_FILE_PATH = "/public/invoice/pdf";

export type PublicFileCheck =
  | { readonly ok: true; readonly invoiceId: number }
  | { readonly ok: false; readonly reason: "expired" | "invalid" };

export class PublicFileSigner {
  private readonly secret = randomBytes(32);

  constructor(private readonly ttlMs = PUBLIC_FILE_TTL_MS) {}

  urlFor(origin: string, invoiceId: number, nowMs: number): string {
    const payload = Buffer.from(
      JSON.stringify({ invoiceId, expiresAtMs: nowMs + this.ttlMs }),
    ).toString("base64url");
    const token = `${payload}.${this.sign(payload)}`;
    return `${origin}${PUBLIC_FILE_PATH}?encrypted_id=${encodeURIComponent(token)}`;
  }

  check(token: string | undefined, nowMs: number): PublicFileCheck {
    const [payload, signature, ...rest] = (token ?? "").split(".");
    if (payload === undefined || signature === undefined || rest.length > 0)
      return { ok: false, reason: "invalid" };
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: "invalid" };
    }
    const { invoiceId, expiresAtMs } = JSON.parse(
      Buffer.from(payload, "base64url").toString("utf8"),
    ) as {
      invoiceId: number;
      expiresAtMs: number;
    };
    if (nowMs >= expiresAtMs) return { ok: false, reason: "expired" };
    return { ok: true, invoiceId };
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}

/** A one-page PDF naming the invoice: enough for a viewer to open and a test to recognise. */
export function invoicePdf(title: string): Uint8Array {
  // ASCII only, so that string lengths are byte offsets for the xref table.
  const text = title
    .normalize("NFD")
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/[()\\]/g, "");
  const stream = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
