/**
 * Credentials at rest: AES-256-GCM with a random 12-byte IV per encryption and the auth tag
 * kept, so any change to a stored ciphertext is detected. The associated data binds each
 * ciphertext to its row (`tenant|kind`): copied to another tenant or another connection,
 * it no longer decrypts. A version prefix (`v1:`) names the key, so keys can rotate: new
 * secrets use the current key, older ones decrypt with the key of their version.
 *
 *   v1:<base64url(iv[12] | ciphertext | tag[16])>
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { DomainError } from "@encaisse/shared";

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKey {
  /** The number in the `v<version>:` prefix of what this key encrypts. */
  readonly version: number;
  readonly key: Buffer;
}

/** Which row a ciphertext belongs to; part of the authenticated data. */
export interface CiphertextOwner {
  readonly tenantId: string;
  readonly kind: string;
}

/**
 * Reads a 32-byte key written as hex (64 characters) or base64 / base64url.
 * Throws ENCRYPTION_KEY_INVALID (with the decoded length, never the key) otherwise.
 */
export function parseEncryptionKey(text: string, version = 1): EncryptionKey {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    key = Buffer.from(trimmed, "hex");
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    key = Buffer.from(trimmed, "base64");
  }
  if (key === null || key.length !== KEY_BYTES) {
    throw new DomainError(
      "ENCRYPTION_KEY_INVALID",
      `ENCRYPTION_KEY must be ${KEY_BYTES} bytes written as base64 (44 characters) or hex (64 characters); generate one with: openssl rand -base64 32`,
      { decodedBytes: key?.length ?? null },
    );
  }
  return { version, key };
}

export interface KeyEnvironment {
  readonly ENCRYPTION_KEY?: string | undefined;
  readonly NODE_ENV?: string | undefined;
  readonly ENCAISSE_SANDBOX?: string | undefined;
}

export interface EnvironmentKey extends EncryptionKey {
  /** True when no key was configured and the fixed development key is used. */
  readonly development: boolean;
}

/**
 * The credentials key from the environment. Production without a key refuses to start
 * (ENCRYPTION_KEY_MISSING); the sandbox and development fall back to a fixed key derived
 * from a public constant, and say so once through `warn`.
 */
export function keyFromEnvironment(
  environment: KeyEnvironment,
  warn: (message: string) => void = console.warn,
): EnvironmentKey {
  const configured = environment.ENCRYPTION_KEY?.trim();
  if (configured) return { ...parseEncryptionKey(configured), development: false };

  const sandbox = environment.ENCAISSE_SANDBOX === "1";
  if (environment.NODE_ENV === "production" && !sandbox) {
    throw new DomainError(
      "ENCRYPTION_KEY_MISSING",
      "ENCRYPTION_KEY is required in production to encrypt stored credentials; generate one with: openssl rand -base64 32",
    );
  }
  warn(
    "ENCRYPTION_KEY is not set: credentials are encrypted with the fixed development key. Set ENCRYPTION_KEY before connecting real accounts.",
  );
  return {
    version: 1,
    key: createHash("sha256").update("encaisse development credentials key").digest(),
    development: true,
  };
}

function associatedData(owner: CiphertextOwner): Buffer {
  return Buffer.from(`${owner.tenantId}|${owner.kind}`, "utf8");
}

function unreadable(reason: string, owner: CiphertextOwner): DomainError {
  return new DomainError(
    "CREDENTIALS_UNREADABLE",
    "Stored credentials could not be decrypted; reconnect the account in Settings.",
    { reason, tenantId: owner.tenantId, kind: owner.kind },
  );
}

/** Encrypts with the current key; decrypts with whichever key the prefix names. */
export class CredentialCipher {
  private readonly byVersion: ReadonlyMap<number, Buffer>;

  /** `current` encrypts; `retired` keys only decrypt what they encrypted before a rotation. */
  constructor(
    private readonly current: EncryptionKey,
    retired: readonly EncryptionKey[] = [],
  ) {
    for (const { key } of [current, ...retired]) {
      if (key.length !== KEY_BYTES) {
        throw new DomainError(
          "ENCRYPTION_KEY_INVALID",
          `An encryption key must be ${KEY_BYTES} bytes.`,
          { decodedBytes: key.length },
        );
      }
    }
    this.byVersion = new Map([...retired, current].map((k) => [k.version, k.key]));
  }

  encrypt(plaintext: string, owner: CiphertextOwner): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(owner));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]);
    return `v${this.current.version}:${sealed.toString("base64url")}`;
  }

  /** Throws CREDENTIALS_UNREADABLE when tampered with, moved to another row, or keyed unknown. */
  decrypt(ciphertext: string, owner: CiphertextOwner): string {
    const match = /^v(\d+):([A-Za-z0-9_-]+)$/.exec(ciphertext);
    if (!match) throw unreadable("format", owner);
    const key = this.byVersion.get(Number(match[1]));
    if (!key) throw unreadable("unknown_key_version", owner);
    const sealed = Buffer.from(match[2] ?? "", "base64url");
    if (sealed.length < IV_BYTES + TAG_BYTES) throw unreadable("format", owner);
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(owner));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    } catch {
      throw unreadable("authentication", owner);
    }
  }

  /** True when the ciphertext was sealed with an older key and should be re-encrypted. */
  needsRotation(ciphertext: string): boolean {
    return !ciphertext.startsWith(`v${this.current.version}:`);
  }
}

/** SHA-256 as hex: how tokens, pairing codes and signatures are stored (never in clear). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
