// The catalogue as users read it: `kubecis list` (every control with its ids) and `kubecis
// explain ID` (one control as text, with the defaults of the parameters it judges against).
import { readBundle } from "./engine/bundle.js";
import { readCatalog } from "./engine/catalog.js";
import { catalogPath, wasmBundlePath } from "./paths.js";
import { RISKS_FRAMEWORK, STARTUP_FRAMEWORK } from "./report.js";
import type { Control } from "./types.js";

/** Every control of the built catalogue, in its order. */
export function readControls(): Control[] {
  return readCatalog(catalogPath).controls;
}

export const CONTROL_LIST_FORMATS = ["text", "json"] as const;
export type ControlListFormat = (typeof CONTROL_LIST_FORMATS)[number];

/** `kubecis list`: one line per control (text), or their ids, titles, severities and frameworks (JSON). */
export function renderControlList(controls: readonly Control[], format: ControlListFormat): string {
  if (format === "json") {
    const entries = controls.map(({ id, title, severity, frameworks }) => ({ id, title, severity, frameworks }));
    return JSON.stringify(entries, null, 2) + "\n";
  }
  return controls
    .map((c) => {
      const cis = c.frameworks["cis-1.12"]?.join(",") ?? "-";
      const seed = c.frameworks["seed-2020"]?.join(",") ?? "-";
      return `${c.id}  ${c.severity.padEnd(8)} cis-1.12 ${cis.padEnd(8)} seed ${seed.padEnd(4)} ${c.title}\n`;
    })
    .join("");
}

/** `kubecis explain ID`: the control's text (ids are case-insensitive), or undefined when no control has the id. */
export function explainControl(id: string): string | undefined {
  const control = readCatalog(catalogPath).byId.get(id.toUpperCase());
  if (!control) return undefined;
  const data = readBundle(wasmBundlePath).data as { kubecis?: { params?: Record<string, unknown> } };
  return renderControl(control, data.kubecis?.params ?? {});
}

const BENCHMARK_ORDER = ["cis-1.5", "cis-1.6", "cis-1.20", "cis-1.23", "cis-1.24", "cis-1.7", "cis-1.8", "cis-1.9", "cis-1.10", "cis-1.11", "cis-1.12", "seed-2020"];

export function renderControl(control: Control, params: Record<string, unknown>): string {
  const frameworks = Object.keys(control.frameworks).sort((a, b) => rank(a) - rank(b));
  const lines = [
    `${control.id}  ${control.title}`,
    `severity: ${control.severity}`,
    "",
    control.description,
    "",
    // Profiles gate, they never hide (DESIGN decision 8): what a run does outside them.
    ...(frameworks.length > 0
      ? [
          "frameworks:",
          ...frameworks.map((name) => `  ${name.padEnd(10)} ${control.frameworks[name]!.join(", ")}`),
          control.frameworks[RISKS_FRAMEWORK]
            ? "  (kubecis's own: it gates beside every profile; with the gate-rbac-risks parameter false, its result is shown apart with its real status, outside the profile, and does not set the exit code)"
            : control.frameworks[STARTUP_FRAMEWORK]
              ? "  (kubecis's own: it gates beside every profile)"
              : "  (under any other profile the result is shown apart with its real status, outside the profile; it does not set the exit code)",
        ]
      : ["frameworks: none (the control is in no profile: its result is always shown apart with its real status, outside the active profile; it does not set the exit code)"]),
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
