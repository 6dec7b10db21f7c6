/**
 * Graceful stop on SIGINT / SIGTERM: run `stop` once, then exit. A terminal's Ctrl-C reaches
 * both `npm start` and the process it runs, so repeated signals while stopping are expected
 * and ignored; a stop that hangs is cut short after `deadlineMs`.
 */
export interface ShutdownOptions {
  readonly deadlineMs?: number;
  readonly onError?: (error: unknown) => void;
}

export function stopOnSignals(stop: () => Promise<void>, options: ShutdownOptions = {}): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), options.deadlineMs ?? 10_000);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        options.onError?.(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
