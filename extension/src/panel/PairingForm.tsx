/** Signed out: exchange the one-time code shown in HubSpot's settings for a token. */
import { type FormEvent, useState } from "react";
import type { OutcomeError, SendToBackground, SessionStatus } from "../service/protocol";
import type { PanelMessages } from "./i18n";
import { ErrorNotice, Notice, Section } from "./ui";

export function PairingForm(props: {
  t: PanelMessages;
  send: SendToBackground;
  revoked: boolean;
  onPaired: (status: SessionStatus) => void;
}) {
  const { t, send } = props;
  const [code, setCode] = useState("");
  const [pairing, setPairing] = useState(false);
  const [error, setError] = useState<OutcomeError | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setPairing(true);
    setError(null);
    const outcome = await send("pair", { code });
    setPairing(false);
    if (outcome.ok) props.onPaired(outcome.value);
    else setError(outcome.error);
  };

  return (
    <Section title={t.pairTitle}>
      {props.revoked && <Notice title={t.pairRevoked} tone="error" role="alert" />}
      <p>{t.pairIntro}</p>
      <form onSubmit={onSubmit}>
        <label>
          {t.pairCode}
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            spellCheck={false}
            maxLength={12}
            placeholder="ABCD2345"
            required
          />
        </label>
        <button type="submit" disabled={pairing || code.trim().length < 8}>
          {pairing ? t.pairing : t.pairButton}
        </button>
      </form>
      {error && <ErrorNotice t={t} error={error} />}
    </Section>
  );
}
