/**
 * Can this machine reach a service? One GET with a short timeout: any HTTP answer, even a
 * 401 or a 404, proves DNS, routing, TLS and a listening server; only no answer fails.
 */
export type Reachability =
  | { readonly reachable: true; readonly status: number; readonly ms: number }
  | { readonly reachable: false; readonly reason: string; readonly ms: number };

export async function checkReachable(
  url: string,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<Reachability> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetchImpl(url, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { reachable: true, status: response.status, ms: elapsed() };
  } catch (error) {
    return { reachable: false, reason: failureReason(error, timeoutMs), ms: elapsed() };
  }
}

function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer within ${timeoutMs} ms`;
  }
  // undici puts the socket's error (ECONNREFUSED, ENOTFOUND, certificate…) in `cause`.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
