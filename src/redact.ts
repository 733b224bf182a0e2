// The one place that decides what key material is and replaces it by "REDACTED" before it
// enters any document, diagnostic or message. Redaction is structural (DESIGN decision 11):
//   - PEM blocks (`-----BEGIN …-----` to the matching END, or to the end of the text when the
//     END is missing), wherever they are;
//   - credentials in any URL: the user-info of any scheme (`https://user:REDACTED@host`,
//     `postgres://user:REDACTED@host/db`, `mysql://user:REDACTED@tcp(host)/db`, a token
//     alone as `https://REDACTED@host`), the user-info ending at the last `@` before the
//     next URL or blank, so a password holding `,`, `:` or `@` is hidden whole; and query
//     parameters whose name says key material (`?password=REDACTED`);
//   - the whole value of any flag or field whose name says key material (secret, token,
//     password, passphrase, credential, private key, API key, key data, …);
//   - an expansion kubecis could not resolve is named by its variable (`${NAME}`), never with
//     its default or command (nameExpansions).

export const REDACTED = "REDACTED";

/** Names whose values are key material: exact names and suffixes, compared without case,
 * `-`, `_` or `.`. A name ending otherwise ("…-file", "…-path", "…-ttl", "…-auth") holds no
 * material itself. The Rego Pod adapter has the same lists (policies/kubecis/lib/pod/redact.rego;
 * test/secrets-canary.test.ts keeps them equal). */
export const SECRET_NAMES: ReadonlySet<string> = new Set(["secret", "token", "password", "passwd", "passphrase", "key", "apikey", "privatekey", "clientsecret", "bearertoken", "credential", "credentials", "hmackey"]);
export const SECRET_SUFFIXES: readonly string[] = ["secret", "token", "password", "passwd", "passphrase", "privatekey", "apikey", "secretkey", "accesskey", "keydata", "credential", "credentials"];

export function isSecretName(name: string): boolean {
  const k = name.toLowerCase().replace(/[-_.]/g, "");
  return SECRET_NAMES.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

/** A PEM block, or its start when the END line is missing (then to the end of the text). */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]*)-----[\s\S]*?(?:-----END \1-----|$)/g;
/** A complete PEM block inside one text. */
const PEM_WHOLE = /-----BEGIN ([A-Z0-9 ]*)-----[\s\S]*?-----END \1-----/;
const SCHEME_CHAR = /[a-zA-Z0-9+.-]/;
/** Matches nothing: a value's URL is not ended by a blank. */
const NEVER = /(?!)/;

/** Where each URL starts (its scheme) and where its body starts (after `://`). Found from
 * each `://` backwards: a scan for the scheme pattern itself is slow on megabytes of output. */
function urlStarts(text: string): { at: number; body: number }[] {
  const starts: { at: number; body: number }[] = [];
  const separators = /:\/\//g;
  for (let found = separators.exec(text); found; found = separators.exec(text)) {
    const sep = found.index;
    let at = sep;
    while (at > 0 && SCHEME_CHAR.test(text[at - 1]!)) at--;
    while (at < sep && !/[a-zA-Z]/.test(text[at]!)) at++;
    if (at < sep) starts.push({ at, body: sep + 3 });
  }
  return starts;
}

/** Any text with PEM blocks and URL credentials replaced by "REDACTED". A value (`prose`
 * false) is one string, so a URL in it ends only at a blank or the next URL; in prose (a
 * message, a rendered report) a quote or angle bracket ends it too. */
export function redactText(text: string, prose = false): string {
  return redactUrlCredentials(text.replace(PEM_BLOCK, REDACTED), prose ? /[\s"<>`]/ : /\s/);
}

/** One flag's or field's value: a URL in it runs to the next URL, blanks included, so a
 * password holding a blank (`https://user:pa ss@host`) is hidden whole. */
export function redactValue(text: string): string {
  return redactUrlCredentials(text.replace(PEM_BLOCK, REDACTED), NEVER);
}

/** Kept under its old name: callers that only meant URLs get the whole structural rule. */
export const redactCredentials = redactText;

/** Each URL runs from its scheme to the next URL's scheme, a blank or a quote. Its user-info
 * ends at the last `@` in that run (a raw `@`, `,` or `:` in a password is hidden with it). */
function redactUrlCredentials(text: string, ends: RegExp): string {
  const starts = urlStarts(text);
  if (starts.length === 0) return text;
  let out = "";
  let copied = 0;
  starts.forEach((start, i) => {
    const limit = i + 1 < starts.length ? starts[i + 1]!.at : text.length;
    const stop = text.slice(start.body, limit).search(ends);
    const end = stop === -1 ? limit : start.body + stop;
    const body = text.slice(start.body, end);
    const redacted = redactUrlBody(body);
    if (redacted === body) return;
    out += text.slice(copied, start.body) + redacted;
    copied = end;
  });
  return copied === 0 ? text : out + text.slice(copied);
}

function redactUrlBody(body: string): string {
  const at = body.lastIndexOf("@");
  let rest = body;
  let userinfo = "";
  if (at !== -1) {
    const colon = body.indexOf(":");
    userinfo = colon !== -1 && colon < at ? `${body.slice(0, colon)}:${REDACTED}@` : `${REDACTED}@`;
    rest = body.slice(at + 1);
  }
  return userinfo + rest.replace(/([?&;])([^=&;#?]+)=([^&;#]*)/g, (all, sep: string, name: string) => (isSecretName(name) ? `${sep}${name}=${REDACTED}` : all));
}

/** A deep copy with every key-material value replaced by "REDACTED". Values are judged by the
 * name that holds them (EncryptionConfiguration's `resources: [secrets]` names an API
 * resource, not a secret); every other string has its PEM blocks and URL credentials redacted. */
export function redactKeyMaterial(value: unknown, secret = false): unknown {
  if (Array.isArray(value)) return value.map((item) => redactKeyMaterial(item, secret));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactKeyMaterial(v, secret || isSecretName(k))]),
    );
  }
  if (secret && (typeof value === "string" || typeof value === "number")) return REDACTED;
  if (typeof value === "string") return redactText(value);
  return value;
}

/** A named value (an environment variable, a flag) as it may be used: redacted whole when the
 * name says it is key material (`DB_PASSWORD=…`, `--oidc-client-secret=…`), else structurally. */
export function redactNamedValue(name: string, text: string): string {
  return isSecretName(name) && text !== "" ? REDACTED : redactText(text);
}

/** Shell or systemd expansions kubecis could not resolve, as a message may name them: by their
 * variable only: `${NAME:-word}` is
 * `${NAME}` (its default may be a secret), a command substitution is only called one. */
export function nameExpansions(expansions: readonly string[]): string {
  const names = expansions.map((e) => {
    const name = /^\$\{?([A-Za-z_]\w*)/.exec(e)?.[1];
    if (name) return `\${${name}}`;
    if (/^\$[0-9@*#?$!-]$/.test(e)) return e;
    return /^(\$\(|`)/.test(e) ? "a command substitution" : "a parameter expansion";
  });
  return [...new Set(names)].join(", ");
}

/** A Go boolean spelling carries no key material: `--insecure-allow-any-token=true` is a
 * boolean flag whose name merely ends in "token". */
const GO_BOOLEANS = new Set(["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"]);

/** An argv with key material redacted before anything reads it: each element structurally,
 * the value of a secret-named flag whole (`--name=value` and `--name value`), and a PEM block
 * that a process list split into words (`-----BEGIN`, `PRIVATE`, `KEY-----`, `MIIE…`, …) joined
 * back into the element that opened it and redacted there: its words run to the one holding
 * `-----END`, or, when there is none, up to the next flag. */
export function redactArgv<T extends { text: string }>(argv: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < argv.length; i++) {
    const item = argv[i]!;
    let text = item.text;
    if (text.includes("-----BEGIN") && !PEM_WHOLE.test(text)) {
      let j = i;
      while (!argv[j]!.text.includes("-----END") && j + 1 < argv.length && !/^--[^-]/.test(argv[j + 1]!.text)) j++;
      text = argv
        .slice(i, j + 1)
        .map((a) => a.text)
        .join(" ");
      text = text.replace(/-----BEGIN[\s\S]*$/, (block) => redactText(block).replace(/-----BEGIN[\s\S]*/, REDACTED));
      i = j;
    }
    // `--name=value`, or `--name value` in one element (a blank inside a flag word).
    text = text.replace(PEM_BLOCK, REDACTED);
    const flag = /^--?([A-Za-z0-9][^=\s]*)([=\s]?)/.exec(text);
    const following = argv[i + 1];
    if (flag && flag[2] !== "") {
      const value = text.slice(flag[0].length);
      const secret = isSecretName(flag[1]!) && value !== "" && !GO_BOOLEANS.has(value);
      out.push({ ...item, text: secret ? flag[0] + REDACTED : redactValue(text) });
      continue;
    }
    if (flag && isSecretName(flag[1]!) && following && !following.text.startsWith("-") && !GO_BOOLEANS.has(following.text)) {
      out.push({ ...item, text });
      out.push({ ...argv[++i]!, text: REDACTED });
      continue;
    }
    out.push({ ...item, text: redactText(text) });
    // `--flag value`: the word after a flag is redacted as a value (blanks inside it included).
    if (flag && following && !following.text.startsWith("-")) out.push({ ...argv[++i]!, text: redactValue(following.text) });
  }
  return out;
}
