import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArgv, type ArgvItem } from "./argv.js";
import { loadFlagTable } from "./flag-table.js";
import { isSecretName, redactArgv, redactKeyMaterial, redactText } from "../redact.js";

const argv = (...words: string[]): ArgvItem[] => ["kube-apiserver", ...words].map((text, argIndex) => ({ text, origin: { file: "t", argIndex } }));
/** Characters a URL password may hold raw, `,`, `@` and `:` among them (not `/`, `?`, `#`, blanks). */
const password = fc.string({ unit: fc.constantFrom(..."aZ9,@:;!$&'()*+=~.-_%"), minLength: 1, maxLength: 12 });
const MARK = "CANARY";

describe("URL credentials, whatever the scheme and the password's characters", () => {
  it("hides the whole password, keeps the user and the host", () => {
    fc.assert(
      fc.property(fc.constantFrom("https", "http", "postgres", "mysql", "unix", "nats", "etcd+tls"), password, password, (scheme, a, b) => {
        const pw = `${a}${MARK}${b}`;
        expect(redactText(`${scheme}://root:${pw}@db.example:5432/k3s`)).toBe(`${scheme}://root:REDACTED@db.example:5432/k3s`);
        expect(redactText(`mysql://root:${pw}@tcp(db:3306)/k3s`)).toBe("mysql://root:REDACTED@tcp(db:3306)/k3s");
        // In a comma-separated list each URL keeps its host.
        expect(redactText(`https://u:${pw}@h1:2379,https://u:${pw}@h2:2379`)).toBe("https://u:REDACTED@h1:2379,https://u:REDACTED@h2:2379");
        // Inside prose, quotes and blanks end the URL.
        expect(redactText(`--etcd-servers="https://u:${pw}@h" next`)).toBe(`--etcd-servers="https://u:REDACTED@h" next`);
      }),
    );
  });

  it("a token as the user, and secret-named query parameters", () => {
    expect(redactText("https://ghp_abc123@github.com/x")).toBe("https://REDACTED@github.com/x");
    expect(redactText("postgres://h/db?sslmode=require&password=p4ss&user=u")).toBe("postgres://h/db?sslmode=require&password=REDACTED&user=u");
    expect(redactText("unix://u:s3cr3t@/var/run/kms.sock")).toBe("unix://u:REDACTED@/var/run/kms.sock");
  });

  it("leaves URLs without credentials alone", () => {
    for (const plain of ["https://127.0.0.1:2379", "https://kubernetes.default.svc.cluster.local", "unix:///var/run/kms.sock", "unix://kine.sock", "https://h/a?x=1"]) {
      expect(redactText(plain)).toBe(plain);
    }
  });
});

describe("PEM blocks anywhere", () => {
  const body = fc.stringMatching(/^[A-Za-z0-9+/=\n]{1,200}$/);
  it("are replaced whole, with newlines, escaped newlines or none; an unterminated one to the end", () => {
    fc.assert(
      fc.property(fc.constantFrom("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "CERTIFICATE"), body, (label, b) => {
        const block = `-----BEGIN ${label}-----\n${MARK}${b}\n-----END ${label}-----`;
        expect(redactText(`before ${block} after`)).toBe("before REDACTED after");
        expect(redactText(JSON.stringify(block))).toBe('"REDACTED"');
        expect(redactText(`x: -----BEGIN ${label}-----\n${MARK}${b}`)).toBe("x: REDACTED");
      }),
    );
  });

  it("split into words by ps are joined back and redacted, with the flags around kept", () => {
    const words = "--tls-cert-file=-----BEGIN RSA PRIVATE KEY----- MIIE CANARY1 Zm9v -----END RSA PRIVATE KEY----- --profiling=false".split(" ");
    const parsed = parseArgv(argv(...words), loadFlagTable());
    expect(JSON.stringify(parsed)).not.toContain(MARK);
    expect(parsed.flags["tls-cert-file"]?.value).toBe("REDACTED");
    expect(parsed.flags["profiling"]?.value).toBe(false);
    // Without an END line: up to the next flag.
    const open = redactArgv(argv("--x=-----BEGIN", "PRIVATE", "KEY-----", "CANARY2", "--profiling=false"));
    expect(open.map((a) => a.text)).toEqual(["kube-apiserver", "--x=REDACTED", "--profiling=false"]);
  });
});

describe("names that say key material", () => {
  it("secret, token, password, passphrase, credential, private/API/secret/access key, key data", () => {
    for (const name of ["secret", "token", "password", "etcd-s3-secret-key", "etcd-s3-access-key", "oidc-client-secret", "client-key-data", "clientSecret", "apiKey", "private_key", "db-password", "bootstrap-token", "credentials", "insecure-allow-any-token"]) {
      expect(isSecretName(name), name).toBe(true);
    }
    // Paths to key material, and flags about tokens, hold none.
    for (const name of ["kubelet-client-key", "tls-private-key-file", "service-account-key-file", "token-auth-file", "enable-bootstrap-token-auth", "service-account-max-token-expiration", "secrets-encryption", "resources", "keys", "name", "kubeConfigFile"]) {
      expect(isSecretName(name), name).toBe(false);
    }
  });

  it("a secret-named flag keeps its name, never its value, in both forms", () => {
    fc.assert(
      fc.property(fc.constantFrom("etcd-s3-secret-key", "oidc-client-secret", "db-password", "client-key-data", "vault_token"), fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), (flag, value) => {
        const parsed = parseArgv(argv(`--${flag}=${MARK}${value}`, `--${flag}`, `${MARK}${value}`), loadFlagTable());
        expect(JSON.stringify(parsed)).not.toContain(MARK);
        expect(parsed.flags[flag.replace(/_/g, "-")]).toMatchObject({ value: "REDACTED", occurrences: 2 });
      }),
    );
  });
});

describe("referenced-file content", () => {
  it("URLs with credentials and PEM blocks in any field; secret-named fields whole", () => {
    const content = {
      kind: "AuthenticationConfiguration",
      jwt: [{ issuer: { url: `https://u:${MARK}1@issuer`, discoveryURL: `https://${MARK}2@discovery/x`, certificateAuthority: `-----BEGIN CERTIFICATE-----\n${MARK}3\n-----END CERTIFICATE-----\n` } }],
      providers: [{ kms: { endpoint: `unix://u:${MARK}4@/kms.sock` } }, { aescbc: { keys: [{ name: "k", secret: `${MARK}5` }] } }],
      users: [{ user: { token: `${MARK}6`, "client-key-data": `${MARK}7`, password: 1234 } }],
      resources: ["secrets"],
    };
    const redacted = redactKeyMaterial(content) as typeof content;
    expect(JSON.stringify(redacted)).not.toContain(MARK);
    expect(redacted.jwt[0]!.issuer.url).toBe("https://u:REDACTED@issuer");
    expect(redacted.providers[0]!.kms!.endpoint).toBe("unix://u:REDACTED@/kms.sock");
    expect(redacted.resources).toEqual(["secrets"]);
    expect(redacted.users[0]!.user.password).toBe("REDACTED");
  });
});
