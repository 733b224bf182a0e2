// Dispatch from input files to the normalizers. Each file is read once by the reader for its
// format; each normalizer takes the objects of its document kind. Per-file targets (API
// servers) are built per file; cluster-wide documents (RBAC snapshots) are collected across
// every input of the run and built once at the end.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import { readYamlDocuments } from "../readers/yaml.js";
import type { InputDocument } from "../types.js";
import { fromManifests, fromProcessList, looksLikeProcessList, type NormalizeOptions } from "./apiserver.js";
import { buildRbacSnapshot, rbacObjectsIn, type RbacObject } from "./rbac.js";

export type { NormalizeOptions };

/** Collects what one run's inputs contain and turns it into input documents. */
export class InputCollector {
  readonly documents: InputDocument[] = [];
  private readonly rbacObjects: RbacObject[] = [];
  private readonly rbacFiles: string[] = [];

  constructor(private readonly options: NormalizeOptions = {}) {}

  /** Normalizes one file; throws InputError when it holds nothing kubecis can judge. */
  add(file: TextFile): void {
    if (looksLikeProcessList(file)) {
      this.push(file, fromProcessList(file, this.options), 0);
      return;
    }
    const yaml = readYamlDocuments(file);
    const rbac = rbacObjectsIn(file, yaml);
    this.push(file, fromManifests(file, yaml, this.options), rbac.length);
    if (rbac.length > 0) {
      for (const object of rbac) this.rbacObjects.push(object);
      this.rbacFiles.push(file.path);
    }
  }

  /** The documents of the whole run: API servers in input order, then the one RBAC snapshot. */
  finish(): InputDocument[] {
    if (this.rbacObjects.length === 0) return this.documents;
    const options = this.options.kubernetesVersion ? { kubernetesVersion: this.options.kubernetesVersion } : {};
    return [...this.documents, buildRbacSnapshot(this.rbacObjects, this.rbacFiles, options)];
  }

  private push(file: TextFile, found: InputDocument[], rbacObjects: number): void {
    if (found.length === 0 && rbacObjects === 0) {
      throw new InputError(
        "no kube-apiserver found and no RBAC objects: expected a Pod manifest with a kube-apiserver container, `ps -ef` output with a kube-apiserver process, or Roles, ClusterRoles, their bindings and ServiceAccounts (`kubectl get … -o yaml`)",
        { file: file.path },
      );
    }
    this.documents.push(...found);
  }
}
