import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc:v1:";

/**
 * Endpoint secrets, and endpoint URLs that carry credentials, at rest: AES-256-GCM under the operator's master key when one is configured
 * (`enc:v1:` + base64(iv ‖ tag ‖ ciphertext)), clear text otherwise. Decoding accepts both, so a
 * master key can be introduced on an existing database; newly written secrets are then encrypted.
 */
export class SecretBox {
  readonly #key: Buffer | undefined;

  constructor(masterKey: Buffer | undefined) {
    this.#key = masterKey === undefined ? undefined : Buffer.from(masterKey);
  }

  /** Whether `seal` encrypts (a master key is configured). */
  get encrypts(): boolean {
    return this.#key !== undefined;
  }

  /** Whether a stored value is encrypted (rather than clear text kept from before a master key was set). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(secret: string): string {
    if (this.#key === undefined) return secret;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    if (this.#key === undefined) {
      throw new Error(
        "An endpoint secret is stored encrypted but HOOKLINE_MASTER_KEY is not set; start the server with the master key that encrypted it.",
      );
    }
    const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("An endpoint secret could not be decrypted: HOOKLINE_MASTER_KEY is not the key it was encrypted with.");
    }
  }
}
