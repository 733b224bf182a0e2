// `-o report`: the native Report as one JSON document.
import type { Report, Target } from "../types.js";
import { inertJson } from "./inert.js";

export function renderReportJson(report: Report): string {
  return inertJson(JSON.stringify(report, null, 2)) + "\n";
}

/**
 * The same document written target by target, so that a run over many inputs never holds its
 * whole report (10,000 manifests make 440,000 results). The bytes are renderReportJson's:
 * each part is JSON.stringify'd with the indentation of its depth (JSON strings hold no raw
 * newline, so re-indenting after each newline is exact). test/report-stream.test.ts compares both.
 */
export class ReportJsonWriter {
  private targets = 0;

  private readonly write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.write = (text) => write(inertJson(text));
  }

  /** The keys before `targets`, in the Report's order. */
  begin(head: Pick<Report, "apiVersion" | "kind" | "tool">): void {
    const text = JSON.stringify({ apiVersion: head.apiVersion, kind: head.kind, tool: head.tool }, null, 2);
    this.write(`${text.slice(0, -2)},\n  "targets": [`);
  }

  target(target: Target): void {
    this.write(`${this.targets++ === 0 ? "\n" : ",\n"}    ${JSON.stringify(target, null, 2).replaceAll("\n", "\n    ")}`);
  }

  /** The keys after `targets`, in the order the caller gives them. */
  end(tail: Omit<Report, "apiVersion" | "kind" | "tool" | "targets">): void {
    this.write(`${this.targets > 0 ? "\n  ]" : "]"},${JSON.stringify(tail, null, 2).slice(1)}\n`);
  }
}
