// Dispatch from input files to the normalizers. Each file is read once by the reader for its
// format; each normalizer takes the objects of its document kind. Per-file targets (API
// servers) are built per file; cluster-wide documents (RBAC snapshots) are collected across
// every input of the run and built once at the end.
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import { readYamlDocuments } from "../readers/yaml.js";
import type { InputDocument } from "../types.js";
import { fromManifests, fromProcessList, looksLikeProcessList, type NormalizeOptions } from "./apiserver.js";

export type { NormalizeOptions };

/** Collects what one run's inputs contain and turns it into input documents. */
export class InputCollector {
  readonly documents: InputDocument[] = [];

  constructor(private readonly options: NormalizeOptions = {}) {}

  /** Normalizes one file; throws InputError when it holds nothing kubecis can judge. */
  add(file: TextFile): void {
    if (looksLikeProcessList(file)) {
      this.push(file, fromProcessList(file, this.options));
      return;
    }
    const yaml = readYamlDocuments(file);
    this.push(file, fromManifests(file, yaml, this.options));
  }

  /** The documents of the whole run, in input order. */
  finish(): InputDocument[] {
    return this.documents;
  }

  private push(file: TextFile, found: InputDocument[]): void {
    if (found.length === 0) {
      throw new InputError(
        "no kube-apiserver found: expected a Pod manifest with a kube-apiserver container, or `ps -ef` output with a kube-apiserver process",
        { file: file.path },
      );
    }
    this.documents.push(...found);
  }
}
