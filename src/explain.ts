// `kubecis explain ID`: one control of the catalogue as text, with the defaults of the
// parameters it judges against. A pure function from a control to text.
import type { Control } from "./types.js";

const BENCHMARK_ORDER = ["cis-1.5", "cis-1.6", "cis-1.20", "cis-1.23", "cis-1.24", "cis-1.7", "cis-1.8", "cis-1.9", "cis-1.10", "cis-1.11", "cis-1.12", "seed-2020"];

export function renderControl(control: Control, params: Record<string, unknown>): string {
  const frameworks = Object.keys(control.frameworks).sort((a, b) => rank(a) - rank(b));
  const lines = [
    `${control.id}  ${control.title}`,
    `severity: ${control.severity}`,
    "",
    control.description,
    "",
    "frameworks:",
    ...frameworks.map((name) => `  ${name.padEnd(10)} ${control.frameworks[name]!.join(", ")}`),
    "  (under any other profile the control is reported as not applicable)",
    "",
    `remediation: ${control.remediation}`,
  ];
  if (control.flags?.length) lines.push(`flags: ${control.flags.map((f) => `--${f}`).join(", ")}`);
  if (control.parameters?.length) {
    lines.push("parameters (CIS defaults; override with --data):");
    for (const name of control.parameters) lines.push(`  ${name}: ${JSON.stringify(params[name] ?? null)}`);
  }
  if (control.source) lines.push(`policy: ${control.source}`);
  return lines.join("\n") + "\n";
}

function rank(name: string): number {
  const i = BENCHMARK_ORDER.indexOf(name);
  return i === -1 ? BENCHMARK_ORDER.length : i;
}
