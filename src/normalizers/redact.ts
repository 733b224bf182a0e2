// The one place that decides what key material is and replaces it by "REDACTED" before it
// enters any document: values held by key/token/password/secret-like names (in referenced
// configuration files and in flags), private-key PEM blocks, and URL passwords.

export const REDACTED = "REDACTED";

/** Names whose values are key material: exact names and suffixes, compared without case, - or _.
 * A name ending in "file" or "path" holds a path, not the material itself. */
const SECRET_NAMES = new Set(["secret", "token", "password", "passwd", "passphrase", "key", "apikey", "privatekey", "clientsecret", "bearertoken", "credential", "credentials", "hmackey"]);
const SECRET_SUFFIXES = ["secret", "token", "password", "passphrase", "privatekey", "apikey"];
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export function isSecretName(name: string): boolean {
  const k = name.toLowerCase().replace(/[-_]/g, "");
  return SECRET_NAMES.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

/** A deep copy with every key-material value replaced by "REDACTED". Values are judged by the
 * name that holds them (EncryptionConfiguration's `resources: [secrets]` names an API
 * resource, not a secret), and any private-key PEM block is redacted wherever it is. */
export function redactKeyMaterial(value: unknown, secret = false): unknown {
  if (Array.isArray(value)) return value.map((item) => redactKeyMaterial(item, secret));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactKeyMaterial(v, secret || isSecretName(k))]),
    );
  }
  if (secret && (typeof value === "string" || typeof value === "number")) return REDACTED;
  if (typeof value === "string" && PRIVATE_KEY_PEM.test(value)) return REDACTED;
  return value;
}

/** Hides the password of a URL's user-info (https://user:secret@host) so it never reaches a
 * document, report or log. */
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/,]+:)[^\s@/,]+@/g, `$1${REDACTED}@`);
}

/** An unknown flag's value as it may enter a document: redacted whole when the flag's name
 * says it is key material (`--oidc-client-secret=…`), else with URL passwords hidden.
 * (kube-apiserver's own flags take paths to key material, never the material itself.) */
export function redactFlagValue(name: string, text: string): string {
  return isSecretName(name) && text !== "" ? REDACTED : redactCredentials(text);
}
