// The floor: the 45 API-server checks hand-written in TypeScript (no Rego, no WASM), over the
// same ApiServerConfig document the policies judge. It returns the same report as
// kubecis/main/report ({kind, component, profile, kubernetesVersion, results: [{id, status,
// reason, evidence, outside?}]}, results sorted by id), so that the benchmark can require
// identical records before it compares speed (bench/floor-check.mjs, run by `make bench`).
// It is a baseline, not a second implementation to ship: the Rego under policies/ is the
// source of truth. It reads the same facts the policies read: the bundle's data
// (data.kubecis: flag table, admission plugins, feature gates, parameters, profiles) and each
// check's id, frameworks and flags from its METADATA (build/out/catalog.json).
//
// Each check is written clause by clause like its Rego, one module per family (flags.ts,
// admission.ts, audit.ts with audit-policy.ts, files.ts; the shared libraries in core.ts and
// verdict.ts): every clause whose condition holds adds a result, none gives no result, two
// different ones are a conflict (an error, as in OPA).
import { ADMISSION_CHECKS } from "./admission.js";
import { AUDIT_CHECKS } from "./audit.js";
import { type CatalogControl, type Check, type Doc, type Facts, type Json, type KubecisData, type Result, Judge, has } from "./core.js";
import { FILE_CHECKS } from "./files.js";
import { startupCheck } from "./features.js";
import { FLAG_CHECKS } from "./flags.js";
import { emit } from "./verdict.js";

export interface Report {
  kind: string;
  component: string | null;
  profile: { name: string; reason: string };
  kubernetesVersion: Json;
  results: Result[];
}

const CHECKS: [string, Check][] = [...FLAG_CHECKS, ...ADMISSION_CHECKS, ...AUDIT_CHECKS, ...FILE_CHECKS, ["configuration_starts_on_version", startupCheck]];

/** The slugs of the checks this floor implements (kubecis.checks.apiserver.<slug>). */
export const FLOOR_CHECKS: readonly string[] = CHECKS.map(([slug]) => slug);

export function prepare(data: KubecisData, catalog: { controls: CatalogControl[] }): Facts {
  const controls = new Map<string, CatalogControl>();
  for (const c of catalog.controls) if (c.component === "apiserver") controls.set(c.package.split(".").pop()!, c);
  return { data, controls, overrides: data.options?.params ?? {} };
}

/** Judges one ApiServerConfig document, like kubecis/main/report. */
export function judge(doc: Doc, facts: Facts): Report {
  const j = new Judge(doc, facts);
  const applies = doc.kind === "ApiServerConfig";
  if (applies) for (const [slug, check] of CHECKS) emit(j, slug, check(j));
  j.results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    kind: doc.kind,
    component: applies ? "apiserver" : null,
    profile: j.profile,
    kubernetesVersion: has(doc, "kubernetesVersion") ? (doc.kubernetesVersion as Json) : { version: null, source: "unknown" },
    results: j.results,
  };
}
