// A configuration the version refuses because of a feature gate is never a pass (DESIGN
// decisions 1 and 9). kube-apiserver refuses to start with a plugin, flag or config-file
// field whose gate is off on its minor (policies/kubecis/features/data.yaml `needs`, with the
// upstream sources), with a gate its minor does not have, and with --anonymous-auth beside an
// anonymous: block. Each case runs the real CLI on real files: on a minor that refuses, every
// control reading the refused flag fails as a contradiction that gates under the default
// profile (exit 1, never "outside"); with the gate on, or on a minor where it is on by
// default, the same configuration is judged as usual; with the version unknown, warn with
// the split (or fail when every minor it may run refuses).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiServerPod, caseWriter, runKubecis } from "./helpers.js";

const files = caseWriter(mkdtempSync(join(tmpdir(), "kubecis-gates-")));

/** Flags that make every flag control pass on their own (admission plugins come per case). */
const HARD = [
  "--anonymous-auth=false",
  "--profiling=false",
  "--authorization-mode=Node,RBAC",
  "--client-ca-file=/etc/kubernetes/pki/ca.crt",
  "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
  "--audit-log-path=/var/log/audit.log",
];

interface Res {
  id: string;
  status: string;
  reason: string;
  outside?: string;
}

/** Runs `kubecis test` on a pod (image tag `version`, or none) beside the `extra` files, which
 * the args name as @file; the results by id and the exit code. */
function judge(version: string | undefined, args: string[], extra: Record<string, string> = {}): { status: number; results: Map<string, Res> } {
  const paths = files({ "pod.yaml": "", ...extra });
  const dir = dirname(paths[0]!);
  const image = version === undefined ? "registry.k8s.io/kube-apiserver" : `registry.k8s.io/kube-apiserver:v${version}`;
  writeFileSync(paths[0]!, apiServerPod(image, args.map((a) => a.replace(/@([\w.]+)/, (_, n: string) => join(dir, n)))));
  const run = runKubecis(["test", ...paths, "-o", "report"]);
  expect(run.stderr).toBe("");
  const report = JSON.parse(run.stdout) as { targets: { results: Res[] }[] };
  expect(report.targets).toHaveLength(1);
  return { status: run.status, results: new Map(report.targets[0]!.results.map((r) => [r.id, r])) };
}

const AUTHN_ANON = "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous: {enabled: false}\n";
const AUTHN_PLAIN = "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt: []\n";
const AUTHZ = [
  "apiVersion: apiserver.config.k8s.io/v1alpha1",
  "kind: AuthorizationConfiguration",
  "authorizers:",
  "- {type: Node, name: node}",
  "- {type: RBAC, name: rbac}",
  "",
].join("\n");
const encryption = (kms: string) =>
  [
    "apiVersion: apiserver.config.k8s.io/v1",
    "kind: EncryptionConfiguration",
    "resources:",
    "- resources: [secrets]",
    "  providers:",
    `  - kms: {${kms}name: k, endpoint: "unix:///var/run/kms.sock"}`,
    "  - identity: {}",
    "",
  ].join("\n");

/** One refused configuration per entry of features/data.yaml `needs`, plus the gate and pair refusals:
 * the version that refuses it, the controls that must fail, and what turns the refusal off. */
const CASES: {
  name: string;
  args: string[];
  extra?: Record<string, string>;
  refuses: string;
  accepts?: string;
  gate?: string;
  controls: string[];
  says: RegExp;
  /** the status each control gets where the configuration is accepted (default pass) */
  judged?: Record<string, string>;
}[] = [
  {
    name: "SecurityContextDeny on 1.27-1.29 without its gate",
    args: [...HARD, "--enable-admission-plugins=SecurityContextDeny,NodeRestriction"],
    refuses: "1.28.0",
    accepts: "1.26.0",
    gate: "SecurityContextDeny",
    controls: ["KAS-0020", "KAS-0018"],
    says: /kube-apiserver 1\.28 does not start with the SecurityContextDeny admission plugin unless --feature-gates=SecurityContextDeny=true/,
  },
  {
    name: "--authorization-config on 1.29 without StructuredAuthorizationConfiguration",
    args: ["--anonymous-auth=false", "--profiling=false", "--authorization-config=@authz.yaml"],
    extra: { "authz.yaml": AUTHZ },
    refuses: "1.29.0",
    accepts: "1.30.0",
    gate: "StructuredAuthorizationConfiguration",
    controls: ["KAS-0002", "KAS-0003", "KAS-0004"],
    says: /kube-apiserver 1\.29 does not start with --authorization-config unless --feature-gates=StructuredAuthorizationConfiguration=true/,
  },
  {
    name: "--authentication-config on 1.29 without StructuredAuthenticationConfiguration",
    args: [...HARD, "--authentication-config=@authn.yaml"],
    extra: { "authn.yaml": AUTHN_PLAIN },
    refuses: "1.29.0",
    accepts: "1.30.0",
    gate: "StructuredAuthenticationConfiguration",
    controls: ["KAS-0001"],
    says: /kube-apiserver 1\.29 does not start with --authentication-config unless --feature-gates=StructuredAuthenticationConfiguration=true/,
  },
  {
    name: "an anonymous: block before 1.31 (the field does not exist)",
    args: [...HARD.filter((a) => !a.startsWith("--anonymous-auth")), "--authentication-config=@authn.yaml"],
    extra: { "authn.yaml": AUTHN_ANON },
    refuses: "1.30.0",
    accepts: "1.32.0",
    controls: ["KAS-0001"],
    says: /kube-apiserver 1\.30 does not start with an anonymous: block in the --authentication-config file \(added in 1\.31\)/,
  },
  {
    name: "an anonymous: block on 1.31 without AnonymousAuthConfigurableEndpoints",
    args: [...HARD.filter((a) => !a.startsWith("--anonymous-auth")), "--authentication-config=@authn.yaml"],
    extra: { "authn.yaml": AUTHN_ANON },
    refuses: "1.31.0",
    accepts: "1.32.0",
    gate: "AnonymousAuthConfigurableEndpoints",
    controls: ["KAS-0001"],
    says: /kube-apiserver 1\.31 does not start with an anonymous: block .*unless --feature-gates=AnonymousAuthConfigurableEndpoints=true/,
  },
  {
    name: "a KMS v2 provider on 1.25-1.26 without KMSv2",
    args: [...HARD, "--encryption-provider-config=@enc.yaml"],
    extra: { "enc.yaml": encryption("apiVersion: v2, ") },
    refuses: "1.26.0",
    accepts: "1.27.0",
    gate: "KMSv2",
    controls: ["KAS-0039", "KAS-0040"],
    says: /kube-apiserver 1\.26 does not start with a kms provider with apiVersion: v2 .*unless --feature-gates=KMSv2=true/,
  },
  {
    name: "a KMS v1 provider from 1.29 without KMSv1",
    args: [...HARD, "--encryption-provider-config=@enc.yaml"],
    extra: { "enc.yaml": encryption("") },
    refuses: "1.29.0",
    accepts: "1.28.0",
    gate: "KMSv1",
    controls: ["KAS-0039", "KAS-0040"],
    says: /kube-apiserver 1\.29 does not start with a kms provider of apiVersion v1 .*unless --feature-gates=KMSv1=true/,
    judged: { "KAS-0040": "warn" },
  },
  {
    name: "a removed feature gate named in --feature-gates",
    args: [...HARD, "--feature-gates=AdvancedAuditing=true"],
    refuses: "1.28.0",
    accepts: "1.27.0",
    controls: ["KAS-0036"],
    says: /kube-apiserver 1\.28 does not start with --feature-gates naming AdvancedAuditing \(the gate was removed in 1\.28\)/,
  },
  {
    name: "--anonymous-auth beside an anonymous: block",
    args: [...HARD, "--authentication-config=@authn.yaml"],
    extra: { "authn.yaml": AUTHN_ANON },
    refuses: "1.32.0",
    controls: ["KAS-0001"],
    says: /kube-apiserver 1\.32 does not start with --anonymous-auth together with an anonymous: block/,
  },
];

describe("a configuration the version refuses because of a feature gate is a contradiction", () => {
  for (const c of CASES) {
    it(`${c.name}: fails and gates on ${c.refuses}`, () => {
      const { status, results } = judge(c.refuses, c.args, c.extra);
      for (const id of c.controls) {
        const r = results.get(id);
        expect(r, id).toBeDefined();
        expect(r!.status, `${id}: ${r!.reason}`).toBe("fail");
        expect(r!.reason).toMatch(c.says);
        expect(r!.outside, id).toBeUndefined();
      }
      expect(status).toBe(1);
    });
    if (c.accepts === undefined) continue;
    const accepts = c.accepts;
    it(`${c.name}: no contradiction on ${accepts}`, () => {
      const { results } = judge(accepts, c.args, c.extra);
      for (const id of c.controls) expect(results.get(id), id).toMatchObject({ status: c.judged?.[id] ?? "pass" });
    });
    if (c.gate === undefined) continue;
    it(`${c.name}: no contradiction on ${c.refuses} with --feature-gates=${c.gate}=true`, () => {
      const { results } = judge(c.refuses, [...c.args, `--feature-gates=${c.gate}=true`], c.extra);
      for (const id of c.controls) expect(results.get(id), id).toMatchObject({ status: c.judged?.[id] ?? "pass" });
    });
  }

  it("a gate set to false where it is on by default is refused too (1.30, StructuredAuthorizationConfiguration=false)", () => {
    const { results } = judge("1.30.0", [...CASES[1]!.args, "--feature-gates=StructuredAuthorizationConfiguration=false"], CASES[1]!.extra);
    expect(results.get("KAS-0003")).toMatchObject({ status: "fail", reason: expect.stringMatching(/while --feature-gates sets StructuredAuthorizationConfiguration=false/) });
  });

  it("--emulated-version judges the gates at the emulated minor (1.33 emulating 1.31: anonymous: refused)", () => {
    const c = CASES[4]!;
    const { results } = judge("1.33.0", [...c.args, "--emulated-version=1.31"], c.extra);
    expect(results.get("KAS-0001")).toMatchObject({ status: "fail", reason: expect.stringMatching(/AnonymousAuthConfigurableEndpoints=true/) });
  });

  it("an unknown version that only some minors refuse is warn with the split, never pass", () => {
    // --authorization-config bounds the version to 1.29 or later; only 1.29 refuses it.
    const { results } = judge(undefined, CASES[1]!.args, CASES[1]!.extra);
    for (const id of ["KAS-0002", "KAS-0003", "KAS-0004"]) {
      const r = results.get(id)!;
      expect(r.status, `${id}: ${r.reason}`).toBe("warn");
      expect(r.reason).toMatch(/kube-apiserver 1\.29 does not start with --authorization-config .*; on the other versions it may run: pass.*give --kubernetes-version/);
    }
  });

  it("an unknown version that every minor it may run refuses fails, and gates", () => {
    // --authorization-config bounds the version to 1.29 or later; with the gate set to false
    // every one of those minors refuses it.
    const { results } = judge(undefined, ["--anonymous-auth=false", "--authorization-config=@authz.yaml", "--feature-gates=StructuredAuthorizationConfiguration=false"], {
      "authz.yaml": AUTHZ,
    });
    const r = results.get("KAS-0003")!;
    expect(r.status, r.reason).toBe("fail");
    expect(r.outside).toBeUndefined();
    expect(r.reason).toMatch(/does not start with --authorization-config while --feature-gates sets StructuredAuthorizationConfiguration=false/);
  });
});
