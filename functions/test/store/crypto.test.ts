import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { DomainError } from "@encaisse/shared";
import {
  CredentialCipher,
  keyFromEnvironment,
  parseEncryptionKey,
  sha256Hex,
} from "../../src/store/crypto";

const owner = { tenantId: "1001", kind: "pennylane" };
const secret = JSON.stringify({ method: "api_token", token: "pl-live-6f1c2a9e77" });

function errorCodeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

describe("credential encryption", () => {
  const cipher = new CredentialCipher({ version: 1, key: randomBytes(32) });

  it("a secret decrypts back to itself, and its ciphertext neither shows nor repeats it", () => {
    const first = cipher.encrypt(secret, owner);
    const second = cipher.encrypt(secret, owner);
    expect(first).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(first).not.toContain("pl-live");
    expect(second).not.toBe(first); // a fresh IV each time
    expect(cipher.decrypt(first, owner)).toBe(secret);
    expect(cipher.decrypt(second, owner)).toBe(secret);
  });

  it.each([
    ["the IV", 0],
    ["the encrypted body", 14],
    ["the auth tag", -1],
  ])("flipping a byte of %s is detected (CREDENTIALS_UNREADABLE)", (_part, index) => {
    const ciphertext = cipher.encrypt(secret, owner);
    const sealed = Buffer.from(ciphertext.slice(3), "base64url");
    const at = index < 0 ? sealed.length + index : index;
    sealed[at] = (sealed[at] ?? 0) ^ 0x01;
    const tampered = `v1:${sealed.toString("base64url")}`;
    expect(errorCodeOf(() => cipher.decrypt(tampered, owner))).toBe("CREDENTIALS_UNREADABLE");
  });

  it.each([
    ["another tenant", { tenantId: "2002", kind: "pennylane" }],
    ["another connection of the same tenant", { tenantId: "1001", kind: "sage_active" }],
  ])("a ciphertext copied to %s does not decrypt", (_where, otherOwner) => {
    const ciphertext = cipher.encrypt(secret, owner);
    expect(errorCodeOf(() => cipher.decrypt(ciphertext, otherOwner))).toBe(
      "CREDENTIALS_UNREADABLE",
    );
  });

  it.each(["", "v1:", "v1:@@@", "plain text", "v1:AAAA"])(
    "a malformed ciphertext %j is refused, not half-read",
    (ciphertext) => {
      expect(errorCodeOf(() => cipher.decrypt(ciphertext, owner))).toBe("CREDENTIALS_UNREADABLE");
    },
  );

  it("another key cannot read it", () => {
    const other = new CredentialCipher({ version: 1, key: randomBytes(32) });
    expect(errorCodeOf(() => other.decrypt(cipher.encrypt(secret, owner), owner))).toBe(
      "CREDENTIALS_UNREADABLE",
    );
  });

  it("after a key rotation, old secrets still decrypt and new ones use the new key", () => {
    const oldKey = { version: 1, key: randomBytes(32) };
    const newKey = { version: 2, key: randomBytes(32) };
    const before = new CredentialCipher(oldKey).encrypt(secret, owner);
    const rotated = new CredentialCipher(newKey, [oldKey]);
    expect(rotated.decrypt(before, owner)).toBe(secret);
    expect(rotated.needsRotation(before)).toBe(true);
    const after = rotated.encrypt(secret, owner);
    expect(after.startsWith("v2:")).toBe(true);
    expect(rotated.needsRotation(after)).toBe(false);
    expect(errorCodeOf(() => new CredentialCipher(newKey).decrypt(before, owner))).toBe(
      "CREDENTIALS_UNREADABLE",
    );
  });
});

describe("the ENCRYPTION_KEY setting", () => {
  const raw = randomBytes(32);

  it.each([
    ["base64", raw.toString("base64")],
    ["base64 without padding", raw.toString("base64").replace(/=+$/, "")],
    ["base64url", raw.toString("base64url")],
    ["hex", raw.toString("hex")],
    ["hex in capitals, with a trailing newline", `${raw.toString("hex").toUpperCase()}\n`],
  ])("a 32-byte key written as %s is accepted", (_format, text) => {
    expect(parseEncryptionKey(text).key.equals(raw)).toBe(true);
  });

  it.each([
    ["16 bytes of base64", randomBytes(16).toString("base64")],
    ["31 bytes of hex", randomBytes(31).toString("hex")],
    ["48 bytes of base64", randomBytes(48).toString("base64")],
    ["a passphrase", "correct horse battery staple"],
  ])("%s is refused with ENCRYPTION_KEY_INVALID", (_case, text) => {
    expect(errorCodeOf(() => parseEncryptionKey(text))).toBe("ENCRYPTION_KEY_INVALID");
  });

  it("the error about a bad key does not repeat the key", () => {
    const text = randomBytes(16).toString("hex");
    try {
      parseEncryptionKey(text);
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify((error as DomainError).toBody())).not.toContain(text);
    }
  });

  it("production without a key refuses to start with ENCRYPTION_KEY_MISSING", () => {
    expect(errorCodeOf(() => keyFromEnvironment({ NODE_ENV: "production" }, () => {}))).toBe(
      "ENCRYPTION_KEY_MISSING",
    );
    expect(
      errorCodeOf(() =>
        keyFromEnvironment({ NODE_ENV: "production", ENCRYPTION_KEY: " " }, () => {}),
      ),
    ).toBe("ENCRYPTION_KEY_MISSING");
  });

  it("production with a key uses it", () => {
    const key = keyFromEnvironment({ NODE_ENV: "production", ENCRYPTION_KEY: raw.toString("hex") });
    expect(key.key.equals(raw)).toBe(true);
    expect(key.development).toBe(false);
  });

  it.each([
    ["the sandbox", { ENCAISSE_SANDBOX: "1", NODE_ENV: "production" }],
    ["development", { NODE_ENV: "development" }],
    ["an unset NODE_ENV", {}],
  ])("%s without a key uses the fixed development key and says so", (_case, environment) => {
    const warn = vi.fn();
    const first = keyFromEnvironment(environment, warn);
    const again = keyFromEnvironment(environment, () => {});
    expect(first.development).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(first.key.equals(again.key)).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain("ENCRYPTION_KEY");
    expect(message).not.toContain(first.key.toString("base64"));
    expect(message).not.toContain(first.key.toString("hex"));
  });

  it("hashes for tokens and codes are SHA-256 hex", () => {
    expect(sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});
