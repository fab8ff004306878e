/**
 * Keeps credentials out of everything the live adapter lets go of: fault messages, log lines and
 * observations. Every secret the run holds (AccessKey secrets, security tokens, client secrets,
 * bearer tokens it was issued, signatures it computed) is registered here, and text leaving the
 * adapter passes through `redact`.
 */

/** What replaces a secret in text. */
export const REDACTED = '[redacted]';

/** Query parameters and headers whose values are credentials wherever they appear. */
const CREDENTIAL_PARAMS = /\b(signature|x-oss-signature|x-oss-credential|x-oss-security-token|ossaccesskeyid|awsaccesskeyid|accesskeyid|x-amz-security-token|x-obs-security-token|x-amz-signature|x-amz-credential|token|access_token|authorization)=([^&\s"'<>]+)/gi;
const AUTHORIZATION_VALUE = /\b(Bearer|Basic|OSS|OSS4-HMAC-SHA256|OBS|AWS|AWS4-HMAC-SHA256)\s+[A-Za-z0-9+/=._:,\-\s]{8,}?(?=$|["'\n<])/g;

/** The secrets of one run and the redaction of text. */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a secret; values shorter than 4 characters are not worth hiding (and would mangle text). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 4) this.#secrets.add(secret);
  }

  /** How many secrets are registered. */
  get size(): number {
    return this.#secrets.size;
  }

  /** `text` with every registered secret, credential query parameter and Authorization value replaced. */
  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
    out = out.replace(CREDENTIAL_PARAMS, (_m, name: string) => `${name}=${REDACTED}`);
    out = out.replace(AUTHORIZATION_VALUE, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    return out;
  }

  /** Whether `text` still holds a registered secret (for the tests' scans). */
  leaks(text: string): string[] {
    return [...this.#secrets].filter((s) => text.includes(s));
  }
}
