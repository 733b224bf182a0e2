// The RBAC snapshot: host work (aggregation, subjects, provenance, indexes) through the
// public API, Kubernetes' own bootstrap policy as the expected-clean baseline, and the CLI.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeForReport } from "../src/exit-codes.js";
import { COMPANION_FRAMEWORKS, loadKubecis, normalizeInputs, testInputs } from "../src/index.js";
import { ConflictingCopies, buildRbacSnapshot, rbacObjectsIn } from "../src/normalizers/rbac.js";
import { readTextFile } from "../src/readers/files.js";
import { readYamlDocuments } from "../src/readers/yaml.js";
import type { RbacBinding, RbacSnapshot } from "../src/types.js";
import { BOOTSTRAP_RBAC, FIXTURES, SAMPLE, listFixtures, runKubecis } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "kubecis-rbac-"));
function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** The binding of that name, as the snapshot holds it, and the role it is listed under (bindingsByRole). */
function bindingNamed(snapshot: RbacSnapshot, name: string): { role: string; binding: RbacBinding } | undefined {
  for (const [role, bindings] of Object.entries(snapshot.bindingsByRole)) {
    const binding = bindings.find((b) => b.name === name);
    if (binding) return { role, binding };
  }
  return undefined;
}

/** The names of the bindings an index lists. */
const names = (bindings: readonly { name: string }[] | undefined) => bindings?.map((b) => b.name);

function snapshotOf(paths: string[]): RbacSnapshot {
  const { documents, errors } = normalizeInputs(paths);
  expect(errors).toEqual([]);
  const snapshots = documents.filter((d): d is RbacSnapshot => d.kind === "RbacSnapshot");
  expect(snapshots).toHaveLength(1);
  return snapshots[0]!;
}

/**
 * The snapshot buildRbacSnapshot makes of one file's objects, copies of one object included
 * (it refuses copies that differ: ConflictingCopies; the input collector then refuses that file).
 */
function builtFrom(path: string): RbacSnapshot {
  const file = readTextFile(path);
  return buildRbacSnapshot(rbacObjectsIn(file, readYamlDocuments(file)), [path]);
}

describe("RbacSnapshot normalization", () => {
  const bootstrap = snapshotOf([BOOTSTRAP_RBAC]);

  it("resolves aggregation like the controller, chains included (view → edit → admin)", () => {
    expect(bootstrap.roles["ClusterRole:view"]!.rules).toHaveLength(10);
    expect(bootstrap.roles["ClusterRole:edit"]!.rules).toHaveLength(23);
    expect(bootstrap.roles["ClusterRole:admin"]!.rules).toHaveLength(25);
    expect(bootstrap.roles["ClusterRole:admin"]!.aggregation).toMatchObject({
      selects: ["ClusterRole:edit", "ClusterRole:system:aggregate-to-admin"],
      declaredRules: 0,
    });
    expect(bootstrap.roles["ClusterRole:view"]!.aggregatedInto).toEqual(["ClusterRole:edit"]);
  });

  it("is one document for every file of the run, naming them all", () => {
    expect(bootstrap.metadata.source.files).toHaveLength(4);
    expect(bootstrap.collected).toEqual({ ClusterRole: 31, ClusterRoleBinding: 10, Role: 7, RoleBinding: 7, ServiceAccount: 0, Pod: 0 });
  });

  it("recognises platform objects by their label, not by a system: prefix", () => {
    expect(bootstrap.roles["ClusterRole:cluster-admin"]!.provenance).toBe("bootstrap");
    const own = snapshotOf([join(FIXTURES, "rbac/cluster_admin_restricted_to_masters/fail/serviceaccounts_group.yaml")]);
    expect(bindingNamed(own, "ClusterRoleBinding:everyone-admin")?.binding).toMatchObject({ provenance: "user", subjects: ["Group:system:serviceaccounts"] });
  });

  it("defaults a RoleBinding's ServiceAccount subject to the binding's namespace and indexes grants", () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: web}
- {kind: ServiceAccount, name: web}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: custom}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions: [{key: team, operator: In, values: [shop]}]
  - matchLabels: {extra: "yes"}
rules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {team: shop}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {extra: "yes"}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}, {apiGroups: [""], resources: [pods], verbs: [list]}]
`;
    const snapshot = snapshotOf([scratchFile("multi.yaml", text)]);
    expect(bindingNamed(snapshot, "RoleBinding:shop/web")).toEqual({
      role: "ClusterRole:view",
      binding: {
        name: "RoleBinding:shop/web",
        provenance: "user",
        subjects: ["ServiceAccount:shop/web", "ServiceAccount:shop/web"],
      },
    });
    expect(snapshot.roles["ClusterRole:view"]).toBeUndefined();
    expect(snapshot.assumedRoles).toEqual(["ClusterRole:view"]); // missing, but one the API server creates itself
    expect(snapshot.missingRoles).toEqual(["ClusterRole:view"]);
    expect(snapshot.unboundRoles).toEqual(["ClusterRole:a", "ClusterRole:b", "ClusterRole:custom"]);
    // ClusterRole:view is not in the input but assumed to exist: the subject listed twice holds it twice.
    const grant = { binding: "RoleBinding:shop/web", provenance: "user", role: "ClusterRole:view", scope: "shop" };
    expect(snapshot.grantPairs["ServiceAccount:shop/web"]).toEqual({ grants: [grant, grant], pairs: [[0, 1], [1, 0]] });
    expect(snapshot.subjectsWithSeveralGrants).toBeGreaterThanOrEqual(1);
    expect(names(snapshot.bindingsByRole["ClusterRole:view"])).toEqual(["RoleBinding:shop/web"]);
    // Each distinct rule is stored once; roles name theirs by index.
    const rulesOf = (key: string) => snapshot.roles[key]!.rules.map((id) => snapshot.rules[id]!);
    expect(snapshot.roles["ClusterRole:a"]!.rules).toEqual([snapshot.roles["ClusterRole:b"]!.rules[0]]);
    const pods = snapshot.rulesByResource["pods"]!;
    expect(pods.flatMap((id) => snapshot.rolesByRule[id]!).sort()).toEqual(["ClusterRole:a", "ClusterRole:b", "ClusterRole:b", "ClusterRole:custom", "ClusterRole:custom", "ClusterRole:custom"]);
    expect(snapshot.aggregatedRoles).toEqual(["ClusterRole:custom"]);
    // Selectors are OR'd and rules de-duplicated. The aggregated role keeps the rules the export
    // holds (what the controller last wrote, the only evidence when the roles it selected are
    // not exported), then gains those of the roles it selects.
    expect(rulesOf("ClusterRole:custom").map((r) => r.verbs[0])).toEqual(["delete", "get", "list"]);
    expect(rulesOf("ClusterRole:custom")[1]).toEqual({ verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: [], nonResourceURLs: [] });
  });

  it("indexes the ServiceAccount subjects that the collected ServiceAccounts lack", () => {
    const text = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects:
- {kind: ServiceAccount, name: web}
- {kind: ServiceAccount, name: ghost}
- {kind: ServiceAccount, name: ghost}
- {kind: User, name: ghost}
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: masters}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:masters"}, {kind: ServiceAccount, name: default, namespace: shop}, {kind: User, name: default}]
`;
    const snapshot = snapshotOf([scratchFile("sa.yaml", text)]);
    expect(snapshot.serviceAccounts).toEqual({ "shop/web": { automountServiceAccountToken: false }, "shop/default": {} });
    const web = { name: "RoleBinding:shop/web", role: "Role:shop/web", provenance: "user" };
    const masters = { name: "ClusterRoleBinding:masters", role: "ClusterRole:view", provenance: "user" };
    expect(snapshot.missingServiceAccounts).toEqual({ "ServiceAccount:shop/ghost": [web] });
    // The subjects checks look up by name: each binding once, in binding order.
    expect(snapshot.bindingsBySpecialSubject).toEqual({
      "ServiceAccount:shop/default": [web, masters],
      "Group:system:masters": [masters],
    });
  });

  it("refuses two copies of a binding that differ (role, subjects), naming the key", () => {
    const binding = (role: string, subjects: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: ${subjects}
`;
    for (const second of [binding("pods", "[{kind: User, name: old}]"), binding("stale", "[{kind: User, name: alice}]")]) {
      const path = scratchFile("replaced.yaml", [binding("stale", "[{kind: User, name: old}]"), second].join("---\n"));
      expect(() => builtFrom(path)).toThrow(new ConflictingCopies("RoleBinding:shop/web", path, path));
    }
  });

  it("numbers subjects by first reference among the bindings left after a replacement", () => {
    const binding = (name: string, subjects: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: ${subjects}
`;
    const sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: present, namespace: shop}\n";
    const text = [
      binding("first", "[{kind: ServiceAccount, name: ann}, {kind: ServiceAccount, name: bob}]"),
      binding("second", "[{kind: ServiceAccount, name: cat}, {kind: ServiceAccount, name: bob}]"),
      binding("first", "[{kind: ServiceAccount, name: ann}, {kind: ServiceAccount, name: bob}]"),
      sa,
    ].join("---\n");
    const snapshot = builtFrom(scratchFile("renumbered.yaml", text));
    // Copies that agree are one binding; in binding order the later copy takes its own place, after "second".
    expect(names(snapshot.bindingsByRole["ClusterRole:view"])).toEqual(["RoleBinding:shop/second", "RoleBinding:shop/first"]);
    expect(bindingNamed(snapshot, "RoleBinding:shop/first")?.binding.subjects).toEqual(["ServiceAccount:shop/ann", "ServiceAccount:shop/bob"]);
    // Subjects are numbered by first reference among the bindings left: cat first now.
    expect(Object.entries(snapshot.missingServiceAccounts).map(([subject, bindings]) => [subject, names(bindings)])).toEqual([
      ["ServiceAccount:shop/cat", ["RoleBinding:shop/second"]],
      ["ServiceAccount:shop/bob", ["RoleBinding:shop/second", "RoleBinding:shop/first"]],
      ["ServiceAccount:shop/ann", ["RoleBinding:shop/first"]],
    ]);
  });

  it("keeps one role or subject per key however a '/' in a namespace or name spells it", () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: one, namespace: a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: b/c}
subjects: [{kind: ServiceAccount, name: b/c}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: two, namespace: a/b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: c}
subjects: [{kind: ServiceAccount, name: c}]
`;
    const snapshot = snapshotOf([scratchFile("slashes.yaml", text)]);
    expect(Object.keys(snapshot.bindingsByRole)).toEqual(["Role:a/b/c"]);
    expect(names(snapshot.bindingsByRole["Role:a/b/c"])).toEqual(["RoleBinding:a/one", "RoleBinding:a/b/two"]);
    expect(snapshot.subjectsWithSeveralGrants).toBe(1);
    expect(Object.keys(snapshot.grantPairs)).toEqual([]); // the role is missing: nothing to compare
  });

  it("stores a rule once by its five lists, however it is written", () => {
    const role = (name: string, rules: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${name}}
rules: ${rules}
`;
    const text = [
      role("a", `[{apiGroups: [""], resources: [pods], verbs: [get]}]`),
      // Keys in another order and a field the API does not have: the same rule.
      role("b", `[{verbs: [get], extra: 1, resources: [pods], apiGroups: [""]}]`),
      // A rule written twice in one role is kept once (as the aggregation controller does).
      role("c", `[{verbs: [get], resources: [pods], apiGroups: [""]}, {apiGroups: [""], verbs: [get], resources: [pods]}]`),
      // The same strings split between the lists differently: other rules.
      role("d", `[{verbs: [get], apiGroups: [""], resources: [pods, services]}, {verbs: [get, services], apiGroups: [""], resources: [pods]}]`),
      // An empty list and an absent one are the same; both differ from [""] (resourceNames).
      role("e", `[{verbs: [get], resources: [pods], apiGroups: [""], resourceNames: []}, {verbs: [get], resources: [pods], apiGroups: [""], resourceNames: [""]}]`),
    ].join("");
    const snapshot = snapshotOf([scratchFile("rule-identity.yaml", text)]);
    const ids = (key: string) => snapshot.roles[key]!.rules;
    expect(ids("ClusterRole:b")).toEqual(ids("ClusterRole:a"));
    expect(ids("ClusterRole:c")).toEqual(ids("ClusterRole:a"));
    expect(ids("ClusterRole:d")).toHaveLength(2);
    expect(ids("ClusterRole:e")).toHaveLength(2);
    expect(ids("ClusterRole:e")[0]).toEqual(ids("ClusterRole:a")[0]);
    const empty = { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] };
    expect(ids("ClusterRole:e").map((id) => snapshot.rules[id])).toEqual([
      { ...empty, verbs: ["get"], apiGroups: [""], resources: ["pods"] },
      { ...empty, verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: [""] },
    ]);
    expect(snapshot.rules).toHaveLength(4); // a, the two of d, the second of e
  });

  it("reads kubectl -o json with JSON.parse and still finds lines when asked", () => {
    const manifest = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "kube-apiserver", namespace: "kube-system" },
      spec: { containers: [{ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.0", command: ["kube-apiserver", "--anonymous-auth=false"] }] },
    };
    const pod = scratchFile("pod.json", JSON.stringify(manifest, null, 2));
    const [document] = normalizeInputs([pod]).documents;
    expect(document?.kind).toBe("ApiServerConfig");
    expect((document as { flags: Record<string, { origin: { line?: number } }> }).flags["anonymous-auth"]!.origin.line).toBe(15);
    const list = scratchFile("bad.json", JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r" } }] }, null, 2));
    expect(normalizeInputs([list]).errors).toEqual([
      { kind: "input", message: "invalid object: Role r: metadata.namespace is missing (export with `kubectl get -A -o yaml`)", file: list, line: 5 },
    ]);
  });

  it("reads Pods as the cluster holds them: exported ones with their ServiceAccount, not mirror Pods or manifests on disk", () => {
    const pods = join(FIXTURES, "rbac/service_account_tokens_mounted_where_needed/pass/tokens_opted_out.yaml");
    const exported = scratchFile(
      "pod.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: one, namespace: b, uid: 1f0e}\nspec:\n  serviceAccount: legacy\n  containers: [{name: c, image: x}]\n",
    );
    const snapshot = snapshotOf([pods, exported, SAMPLE]);
    // SAMPLE, the kube-apiserver static Pod manifest, is an API-server target and no Pod of the
    // cluster; the export's etcd mirror Pod is skipped.
    expect(snapshot.pods).toEqual({
      "shop/web-7d9f8b6c5-x2x9q": { serviceAccount: "web", tokenMounted: false },
      "shop/worker-0": { serviceAccount: "worker", automountServiceAccountToken: false, tokenMounted: false },
      "b/one": { serviceAccount: "legacy", tokenMounted: false },
    });
    expect(snapshot.collected.Pod).toBe(3);
    // The outcome: a volume mounted at the token path in any container.
    const mounted = snapshotOf([join(FIXTURES, "rbac/service_account_tokens_mounted_where_needed/fail/mounted_by_default.yaml")]);
    expect(mounted.pods).toEqual({
      "reports/report-28871560-kq2lm": { serviceAccount: "default", tokenMounted: true },
      "reports/exporter-6b5d4c7f9-4hz8p": { serviceAccount: "exporter", tokenMounted: true },
    });
    const initOnly = scratchFile(
      "init-pod.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: i, namespace: b, uid: 2a0d}\nspec:\n  containers: [{name: c, image: x}]\n" +
        "  initContainers: [{name: i, image: y, volumeMounts: [{name: t, mountPath: /var/run/secrets/kubernetes.io/serviceaccount/}]}]\n",
    );
    expect(snapshotOf([initOnly, BOOTSTRAP_RBAC]).pods).toEqual({ "b/i": { serviceAccount: "default", tokenMounted: true } });
  });

  it("leaves Pod manifests on disk (no uid) to the API-server reader, even in a List without namespaces", () => {
    const manifest = readFileSync(SAMPLE, "utf8").replace(/^\s*namespace: .*$/m, "");
    const list = scratchFile(
      "static-pods.yaml",
      `apiVersion: v1\nkind: List\nitems:\n${manifest.trim().split("\n").map((line, i) => (i === 0 ? "- " : "  ") + line).join("\n")}\n`,
    );
    const { documents, errors } = normalizeInputs([list, BOOTSTRAP_RBAC]);
    expect(errors).toEqual([]);
    expect(documents.map((d) => d.kind)).toEqual(["ApiServerConfig", "RbacSnapshot"]);
    expect((documents[1] as RbacSnapshot).pods).toEqual({});
  });

  it("does not judge Pods without the RBAC objects, and says so", () => {
    const pods = scratchFile(
      "pods-only.yaml",
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: a, uid: 9b1c}\n  spec: {containers: [{name: c, image: x}]}\n",
    );
    const { documents, errors } = normalizeInputs([pods, SAMPLE]);
    expect(documents.map((d) => d.kind)).toEqual(["ApiServerConfig"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "input", file: pods });
    expect(errors[0]!.message).toContain("Pods alone are not judged");
  });

  it("refuses a malformed RBAC object, naming file and line", () => {
    const path = scratchFile("bad.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: RoleBinding\n  metadata: {name: x, namespace: a}\n");
    const { documents, errors } = normalizeInputs([path, SAMPLE]);
    expect(errors).toEqual([{ kind: "input", message: "invalid object: RoleBinding x: roleRef must name a Role or ClusterRole", file: path, line: 4 }]);
    expect(documents.map((d) => d.kind)).toEqual(["ApiServerConfig"]);
  });
});

describe("profiles gate; they never hide (DESIGN decision 8)", () => {
  const base = loadKubecis();
  // Every profile: the frameworks but rbac-risks, which gates beside them and is no profile.
  const profiles = [...new Set(base.catalog.controls.flatMap((c) => Object.keys(c.frameworks)))].filter((p) => !COMPANION_FRAMEWORKS.includes(p)).sort();
  const rbacControls = base.catalog.controls.filter((c) => c.component === "rbac");
  const fixtures = listFixtures().filter((f) => f.component === "rbac" && f.expected !== "pass");
  const riskControls = rbacControls.filter((c) => "rbac-risks" in c.frameworks);
  const ungated = scratchFile("ungated.yaml", "params: {gate-rbac-risks: false}\n");

  // The RBAC risks peer tools flag (framework rbac-risks) gate beside every profile, unless
  // the gate-rbac-risks parameter is false: then they are outside it like any other control.
  it.each(profiles.flatMap((p) => [[p, true] as const, [p, false] as const]))(
    "under %s (rbac-risks gating: %s) every RBAC control keeps its real status; those outside it are marked and never gate",
    (profile, gateRisks) => {
      const kubecis = loadKubecis({ profile, ...(gateRisks ? {} : { dataFile: ungated }) });
      expect(profiles.length).toBeGreaterThan(5);
      expect(riskControls.length).toBe(14);
      for (const control of rbacControls) {
        const own = fixtures.filter((f) => `kubecis.checks.rbac.${f.check}` === control.package);
        expect(own.length, `${control.id} has no failing fixture`).toBeGreaterThan(0);
        for (const fixture of own) {
          const report = testInputs([fixture.path], { profile }, kubecis);
          const result = report.targets[0]!.results.find((r) => r.id === control.id)!;
          const inProfile = profile in control.frameworks || (gateRisks && "rbac-risks" in control.frameworks);
          const where = `${control.id} ${fixture.check}/${fixture.expected}/${fixture.name} under ${profile}`;
          expect(result.status, where).toBe(fixture.expected);
          expect(result.outside, where).toBe(inProfile ? undefined : profile);
          // Outside the profile: counted apart and no part of the exit code.
          const alone = { ...report, targets: [{ ...report.targets[0]!, results: [result] }] };
          expect(exitCodeForReport(alone), where).toBe(inProfile && fixture.expected === "fail" ? ExitCode.Failures : ExitCode.Ok);
        }
      }
    },
  );

  it("a broad group's risky grant fails the run under every profile, and in every output format", () => {
    const path = join(FIXTURES, "rbac/pod_exec_attach_minimized/fail/shell_only_for_everyone.yaml");
    for (const profile of ["cis-1.5", "cis-1.12", "seed-2020"]) {
      for (const format of ["text", "report", "json", "sarif", "github", "junit"]) {
        const run = runKubecis(["test", path, "--profile", profile, "-o", format]);
        expect(run.status, `${profile} -o ${format}`).toBe(ExitCode.Failures);
      }
      const json = JSON.parse(runKubecis(["test", path, "--profile", profile, "-o", "json"]).stdout);
      expect(JSON.stringify(json.map((t: { failures?: unknown[] }) => t.failures ?? [])), profile).toContain("KRB-0019");
      const sarif = JSON.parse(runKubecis(["test", path, "--profile", profile, "-o", "sarif"]).stdout);
      const exec = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === "KRB-0019");
      expect(exec.length, profile).toBeGreaterThan(0);
      for (const r of exec) expect(r.level, profile).toBe("error");
    }
    const off = runKubecis(["test", path, "--data", ungated]);
    expect(off.status).toBe(ExitCode.Ok);
    expect(off.stdout.split("outside cis-1.12")[1]).toMatch(/FAIL {2}KRB-0019 {2}\[rbac-risks pods-exec\]/);
  });

  it("shows every RBAC verdict in one run: text apart, -o report marked, SARIF as notes", () => {
    const path = join(FIXTURES, "rbac/no_unused_roles/fail/selected_by_unbound_aggregate.yaml");
    const text = runKubecis(["test", path]);
    expect(text.status).toBe(ExitCode.Ok);
    const [inside, outside] = text.stdout.split("outside cis-1.12 (shown with their real status; they do not set the exit code):");
    expect(outside).toMatch(/FAIL {2}KRB-0004 {2}\[seed-2020 S42\] Every role is used/);
    expect(inside).not.toContain("KRB-0004");
    expect(text.stdout).not.toContain("N/A");
    const outsideCount = rbacControls.filter((c) => !("cis-1.12" in c.frameworks) && !("rbac-risks" in c.frameworks)).length;
    expect(outsideCount).toBeGreaterThan(0);
    expect(text.stdout).toMatch(new RegExp(`, ${outsideCount} outside cis-1.12\n$`));
    const report = JSON.parse(runKubecis(["test", path, "-o", "report"]).stdout);
    expect(report.targets[0].results).toHaveLength(rbacControls.length);
    expect(report.targets[0].results.find((r: { id: string }) => r.id === "KRB-0004")).toMatchObject({ status: "fail", outside: "cis-1.12" });
    const sarif = JSON.parse(runKubecis(["test", path, "-o", "sarif"]).stdout);
    const unused = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "KRB-0004");
    expect(unused).toMatchObject({ level: "note", properties: { status: "fail", outside: "cis-1.12" } });
    const json = JSON.parse(runKubecis(["test", path, "-o", "json"]).stdout);
    expect(JSON.stringify(json)).not.toContain("KRB-0004");
  });
});

describe("findings reported once, by the class they belong to", () => {
  const resultsOf = (path: string) => {
    const run = runKubecis(["test", path, "--profile", "seed-2020", "-o", "report"]);
    return Object.fromEntries(JSON.parse(run.stdout).targets[0].results.map((r: { id: string }) => [r.id, r]));
  };

  it("two different roles with identical rules: one duplicate that names the binding to keep", () => {
    const byId = resultsOf(join(FIXTURES, "rbac/no_duplicated_permissions/fail/identical_roles.yaml"));
    expect(byId["KRB-0003"].evidence.findings).toEqual([
      {
        kind: "equivalent",
        subject: "ServiceAccount:shop/checkout",
        binding: "RoleBinding:shop/config-readers",
        alsoVia: "RoleBinding:shop/checkout-config",
        role: "Role:shop/config-reader",
        sameAs: "Role:shop/checkout-config",
        namespace: "shop",
        keep: "RoleBinding:shop/checkout-config",
      },
    ]);
  });

  it("an ineffective grant is reported as ineffective only, never as covered", () => {
    const byId = resultsOf(join(FIXTURES, "rbac/no_duplicated_permissions/pass/ineffective_grant_not_covered.yaml"));
    expect(byId["KRB-0003"].status).toBe("pass");
    expect(byId["KRB-0017"].status).toBe("warn");
    expect(byId["KRB-0017"].evidence.findings).toEqual([
      { binding: "RoleBinding:shop/checkout-nodes", role: "ClusterRole:node-reader", namespace: "shop", ineffective: ["nodes"] },
    ]);
  });
});

describe("malformed RBAC objects (the API server refuses them; kubecis never reads them as granting less)", () => {
  const role = (rule: string) =>
    `apiVersion: v1\nkind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: everything}\n  rules:\n  - ${rule}\n` +
    "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata: {name: everyone}\n  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}\n" +
    "  subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}]\n";
  // A ClusterRole with cluster-admin's rule and an aggregationRule, bound to everyone: read with
  // a selector that matches nothing, its rules would be replaced by none.
  const aggregate = (rule: string) =>
    `apiVersion: v1\nkind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: everything}\n  aggregationRule: ${rule}\n` +
    '  rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]\n' +
    "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata: {name: everyone}\n  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}\n" +
    "  subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}]\n";
  const binding = (subject: string) =>
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n" +
    `- ${subject}\n`;
  it.each([
    ["string fields", role('{apiGroups: "*", resources: "*", verbs: "*"}'), "ClusterRole everything: rules[0].verbs must be a list of strings", 8],
    ["a non-string verb", role('{apiGroups: [""], resources: [secrets], verbs: [get, 7]}'), "ClusterRole everything: rules[0].verbs must hold strings only", 8],
    ["no verbs", role('{apiGroups: [""], resources: [secrets]}'), "ClusterRole everything: rules[0].verbs must contain at least one value", 8],
    ["no apiGroups", role("{resources: [secrets], verbs: [get]}"), "ClusterRole everything: rules[0].apiGroups must contain at least one value", 8],
    ["a rule that is not a map", role("get secrets"), "ClusterRole everything: rules[0] must be a map", 8],
    ["a subject of unknown kind", binding("{kind: Team, name: ops}"), "ClusterRoleBinding b: subjects[0] kind must be ServiceAccount, User or Group", 6],
    ["a subject without a name", binding("{kind: Group}"), "ClusterRoleBinding b: subjects[0] name is missing", 6],
    ["a cluster-wide ServiceAccount without namespace", binding("{kind: ServiceAccount, name: ci}"), "ClusterRoleBinding b: subjects[0] a ServiceAccount needs a namespace in a ClusterRoleBinding", 6],
    ["an aggregationRule without selectors", aggregate("{}"), "ClusterRole everything: aggregationRule.clusterRoleSelectors must be a list of at least one label selector", 7],
    ["selectors that are not a list", aggregate('{clusterRoleSelectors: "oops"}'), "ClusterRole everything: aggregationRule.clusterRoleSelectors must be a list of at least one label selector", 7],
    [
      "a selector operator the API server does not know",
      aggregate("{clusterRoleSelectors: [{matchExpressions: [{key: team, operator: exists}]}]}"),
      "ClusterRole everything: aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator must be In, NotIn, Exists or DoesNotExist",
      7,
    ],
    [
      "In without values",
      aggregate("{clusterRoleSelectors: [{matchExpressions: [{key: team, operator: In}]}]}"),
      "ClusterRole everything: aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values must be non-empty when operator is In",
      7,
    ],
  ])("%s: invalid object, file:line, exit 4, other inputs judged", (_, text, message, line) => {
    const path = scratchFile("malformed.yaml", text);
    const { documents, errors } = normalizeInputs([path, SAMPLE]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "input", file: path, line });
    expect(errors[0]!.message).toContain(`invalid object: ${message}`);
    expect(documents.map((d) => d.kind)).toEqual(["ApiServerConfig"]);
    const run = runKubecis(["test", path, SAMPLE, "-o", "report"]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${path}:${line}: invalid object: ${message}`);
    expect(JSON.parse(run.stdout).targets.map((t: { kind: string }) => t.kind)).toEqual(["ApiServerConfig"]);
  });
});

describe("kubecis test on RBAC inputs", () => {
  it("finds no cluster-admin or unused-role failure in Kubernetes' bootstrap policy (seed-2020)", () => {
    const run = runKubecis(["test", BOOTSTRAP_RBAC, "--profile", "seed-2020", "-o", "report"]);
    const report = JSON.parse(run.stdout);
    expect(report.errors).toEqual([]);
    expect(report.targets).toHaveLength(1);
    const [target] = report.targets;
    expect(target.kind).toBe("RbacSnapshot");
    expect(target.source.files).toHaveLength(4);
    const byId = Object.fromEntries(target.results.map((r: { id: string }) => [r.id, r]));
    expect(byId["KRB-0001"]).toMatchObject({ status: "pass", frameworks: { "seed-2020": ["S39"] }, evidence: { mastersBindings: 1 } });
    expect(byId["KRB-0004"]).toMatchObject({ status: "pass", frameworks: { "seed-2020": ["S42"] } });
    expect(byId["KRB-0004"].evidence.unusedPlatformRoles).toBeGreaterThan(10);
    for (const r of target.results) expect(r.status, r.id).not.toBe("fail");
    expect(run.status).toBe(ExitCode.Ok);
  });

  it("judges API servers and RBAC in one run, with the usual exit codes", () => {
    const fail = join(FIXTURES, "rbac/cluster_admin_restricted_to_masters/fail/serviceaccounts_group.yaml");
    const run = runKubecis(["test", SAMPLE, fail, "-o", "report"]);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { kind: string }) => t.kind)).toEqual(["ApiServerConfig", "RbacSnapshot"]);
    expect(run.status).toBe(ExitCode.Failures);
    const text = runKubecis(["test", fail]);
    expect(text.stdout).toContain("FAIL  KRB-0001");
    expect(text.stdout).toContain("Group:system:serviceaccounts via ClusterRoleBinding:everyone-admin (ClusterRole:cluster-admin) cluster-wide");
  });

  it("says a subject listed twice in one binding is listed twice, not 'also via' that binding", () => {
    const run = runKubecis(["test", "--profile", "seed-2020", join(FIXTURES, "rbac/no_duplicated_permissions/fail/subject_listed_twice.yaml")]);
    expect(run.stdout).toContain("via RoleBinding:team-b/web-config (Role:team-b/config-reader) in namespace team-b [duplicate]; listed twice in this binding");
    expect(run.stdout).not.toMatch(/via (\S+) .*also via \1$/m);
  });

  it("still reports a file with neither an API server nor RBAC objects as an input error", () => {
    const path = scratchFile("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    const run = runKubecis(["test", path, BOOTSTRAP_RBAC]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${path}: no kube-apiserver found and no RBAC objects`);
  });
});

describe("two copies of one RBAC object (a stale export beside a new one)", () => {
  const crb = (role: string, group: string) =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x, resourceVersion: "${role.length}"}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}\nsubjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "${group}"}\n`;
  const everyoneAdmin = crb("cluster-admin", "system:authenticated");
  const opsView = crb("view", "ops");

  it.each([
    ["everyone-admin first", everyoneAdmin, opsView],
    ["everyone-admin last", opsView, everyoneAdmin],
  ])("that differ: the later file is refused naming both, whatever the order (%s)", (_, first, second) => {
    const a = scratchFile("copy-a.yaml", first);
    const b = scratchFile("copy-b.yaml", second);
    const run = runKubecis(["test", "-o", "report", a, b]);
    expect(run.status).toBe(ExitCode.Input);
    expect(run.stderr).toContain(`${b}: ClusterRoleBinding:x is defined also in ${a}, differently`);
    const results = JSON.parse(run.stdout).targets[0].results as { id: string; status: string }[];
    // Whichever copy was read, KRB-0001 never passes: it fails on everyone-admin, or cannot be judged.
    expect(results.find((r) => r.id === "KRB-0001")?.status).not.toBe("pass");
  });

  it("that differ in one file: the file is refused", () => {
    const path = scratchFile("copies.yaml", `${everyoneAdmin}---\n${opsView}`);
    const { documents, errors } = normalizeInputs([path, SAMPLE]);
    expect(errors).toEqual([expect.objectContaining({ kind: "input", file: path, message: expect.stringContaining("ClusterRoleBinding:x is defined twice in this file, differently") })]);
    expect(documents.map((d) => d.kind)).toEqual(["ApiServerConfig"]);
  });

  it("that agree (another resourceVersion): one object, judged once", () => {
    const a = scratchFile("same-a.yaml", everyoneAdmin);
    const b = scratchFile("same-b.yaml", everyoneAdmin.replace('resourceVersion: "13"', 'resourceVersion: "99"'));
    const run = runKubecis(["test", "-o", "report", a, b]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(ExitCode.Failures);
    const krb1 = (JSON.parse(run.stdout).targets[0].results as { id: string; status: string; evidence: { total: number } }[]).find((r) => r.id === "KRB-0001");
    expect(krb1).toMatchObject({ status: "fail", evidence: { total: 1 } });
  });
});
