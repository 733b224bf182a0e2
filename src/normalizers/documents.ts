// Input documents given back as inputs: what `kubecis normalize` prints (one document, a JSON
// array of them, or a YAML stream) is an input form, so `kubecis normalize X | kubecis test -`
// judges X as `kubecis test X` does. A document is taken as it is once its shape is checked
// against what the schemas (schemas/) require; anything else is an input error naming the
// file, the document and the field, never a document judged with a hole in it.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import type { YamlDocument } from "../readers/yaml.js";
import { API_VERSION, type InputDocument, type KubernetesVersion, type RbacBinding } from "../types.js";
import { countGrants } from "./rbac-grants.js";

const KINDS = new Set(["ApiServerConfig", "RbacSnapshot"]);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A text that starts like `kubecis normalize` output (JSON or YAML), whatever its name ("-"). */
export function looksLikeInputDocuments(file: TextFile): boolean {
  return /^\s*(?:\[\s*)?\{?\s*"?apiVersion"?\s*:\s*"?kubecis\.dev\//.test(file.text.slice(0, 512));
}

/** True when a YAML document is one of kubecis's input documents (or an array of them). */
export function isInputDocument(value: unknown): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.length > 0 && items.every((item) => isMap(item) && item["apiVersion"] === API_VERSION && KINDS.has(item["kind"] as string));
}

/** The input documents a YAML/JSON document holds, checked; --kubernetes-version wins. */
export function readInputDocuments(file: TextFile, doc: YamlDocument, version: KubernetesVersion | undefined): InputDocument[] {
  const items = Array.isArray(doc.value) ? doc.value : [doc.value];
  return items.map((item, index) => {
    const at = Array.isArray(doc.value) ? [index] : [];
    const fail = (message: string, path: (string | number)[] = []): never => {
      const line = doc.lineAt([...at, ...path]) ?? doc.lineAt(at);
      const where = `document ${doc.index + 1}${Array.isArray(doc.value) ? `, item ${index}` : ""}${path.length ? `, ${path.join(".")}` : ""}`;
      throw new InputError(`a kubecis ${String((item as Record<string, unknown>)["kind"])} document (${where}): ${message}`, {
        file: file.path,
        ...(line ? { line } : {}),
      });
    };
    const document = item as Record<string, unknown>;
    checkCommon(document, fail);
    if (document["kind"] === "ApiServerConfig") checkApiServerConfig(document, fail);
    else checkRbacSnapshot(document, fail);
    if (version) document["kubernetesVersion"] = version;
    return document as unknown as InputDocument;
  });
}

type Fail = (message: string, path?: (string | number)[]) => never;

function checkCommon(document: Record<string, unknown>, fail: Fail): void {
  if (!Array.isArray(document["diagnostics"])) fail("diagnostics is not a list", ["diagnostics"]);
  const metadata = document["metadata"];
  if (!isMap(metadata) || !isMap(metadata["source"]) || typeof metadata["source"]["path"] !== "string") fail("metadata.source.path is missing", ["metadata"]);
  const v = document["kubernetesVersion"];
  if (!isMap(v)) return fail("kubernetesVersion is missing", ["kubernetesVersion"]);
  if (typeof v["source"] !== "string") fail("kubernetesVersion.source is missing", ["kubernetesVersion"]);
  if (v["version"] === null) {
    if (v["major"] !== undefined || v["minor"] !== undefined) fail("an unknown version (version: null) has no major or minor", ["kubernetesVersion"]);
    return;
  }
  const m = typeof v["version"] === "string" ? /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(v["version"]) : null;
  if (!m) return fail('kubernetesVersion.version is neither null nor a version such as "1.33.2"', ["kubernetesVersion", "version"]);
  if (v["major"] !== Number(m[1]) || v["minor"] !== Number(m[2])) fail("kubernetesVersion.major and .minor disagree with .version", ["kubernetesVersion"]);
}

function checkApiServerConfig(document: Record<string, unknown>, fail: Fail): void {
  const flags = document["flags"];
  if (!isMap(flags)) return fail("flags is not a map of flag name to effective flag", ["flags"]);
  for (const [name, flag] of Object.entries(flags)) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) fail("not a flag name (no leading dashes, lower case)", ["flags", name]);
    if (!isMap(flag)) return fail("not an effective flag", ["flags", name]);
    if (!isMap(flag["origin"])) fail("origin is missing", ["flags", name]);
    if (!Number.isInteger(flag["occurrences"]) || (flag["occurrences"] as number) < 1) fail("occurrences is not a positive integer", ["flags", name]);
    if (("value" in flag) === ("error" in flag)) fail("an effective flag has exactly one of value and error", ["flags", name]);
  }
  if (document["files"] !== undefined && !isMap(document["files"])) fail("files is not a map", ["files"]);
}

function checkRbacSnapshot(document: Record<string, unknown>, fail: Fail): void {
  for (const key of ["collected", "rules", "roles", "serviceAccounts", "bindingsByRole", "grantsByRole", "rulesByResource", "rolesByRule", "bindingsBySpecialSubject"]) {
    if (document[key] === undefined || document[key] === null) fail(`${key} is missing`, [key]);
  }
  // Each binding once, under the role it references: the policies count a grant per listing.
  const byRole = document["bindingsByRole"];
  if (!isMap(byRole)) return fail("bindingsByRole is not a map of role key to bindings", ["bindingsByRole"]);
  const seen = new Set<string>();
  for (const [role, bindings] of Object.entries(byRole)) {
    if (!Array.isArray(bindings)) return fail("not a list of bindings", ["bindingsByRole", role]);
    for (let i = 0; i < bindings.length; i++) {
      const binding: unknown = bindings[i];
      const name = isMap(binding) ? binding["name"] : undefined;
      if (typeof name !== "string") return fail("a binding without a name", ["bindingsByRole", role, i]);
      if (seen.has(name)) fail(`${name} is listed twice (each binding is listed once, under the role it references)`, ["bindingsByRole", role, i]);
      seen.add(name);
    }
  }
  // The access controls count grants from grantsByRole: it must say what bindingsByRole holds.
  const grants = document["grantsByRole"];
  const roles = document["roles"];
  if (!isMap(grants) || !isMap(roles)) return;
  for (const [role, bindings] of Object.entries(byRole)) {
    const list = bindings as Record<string, unknown>[];
    const i = list.findIndex((b) => !Array.isArray(b["subjects"]) || !(b["subjects"] as unknown[]).every((s) => typeof s === "string"));
    if (i >= 0) return fail("a binding's subjects are not a list of subject keys", ["bindingsByRole", role, i]);
    const want = role in roles ? JSON.stringify(countGrants(bindings as RbacBinding[])) : undefined;
    if (JSON.stringify(grants[role]) !== want) fail(`does not count the grants of bindingsByRole[${JSON.stringify(role)}] (${want ?? "absent: no such role"})`, ["grantsByRole", role]);
  }
  for (const role of Object.keys(grants)) if (!(role in byRole)) fail("counts the grants of a role no binding references", ["grantsByRole", role]);
}
