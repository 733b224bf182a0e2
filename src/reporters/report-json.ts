// `-o report`: the native Report as one JSON document.
import type { Report } from "../types.js";

export function renderReportJson(report: Report): string {
  return JSON.stringify(report, null, 2) + "\n";
}
