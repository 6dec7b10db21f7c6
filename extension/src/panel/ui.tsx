/** Small building blocks shared by the panel's views. */
import type { ReactNode } from "react";
import type { OutcomeError } from "../service/protocol";
import type { PanelMessages } from "./i18n";

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Notice(props: {
  title: string;
  children?: ReactNode;
  tone?: "info" | "error";
  role?: "status" | "alert";
}) {
  return (
    <div className={`notice ${props.tone ?? "info"}`} role={props.role ?? "status"}>
      <strong>{props.title}</strong>
      {props.children}
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-busy="true">
      {label}
    </div>
  );
}

export function errorText(t: PanelMessages, error: OutcomeError): string {
  if (error.code === "RATE_LIMITED" && error.retryAfterSeconds !== null) {
    return t.rateLimited(error.retryAfterSeconds);
  }
  return t.errors[error.code] ?? error.message;
}

export function ErrorNotice(props: {
  t: PanelMessages;
  error: OutcomeError;
  title?: string;
  onRetry?: () => void;
}) {
  const { t, error } = props;
  return (
    <Notice title={props.title ?? t.errorTitle} tone="error" role="alert">
      <p>{errorText(t, error)}</p>
      <p className="muted">{t.errorCode(error.code)}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t.retry}
        </button>
      )}
    </Notice>
  );
}

/** Opens HubSpot in a new tab; extension pages may do so without the `tabs` permission. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}
