// kube-apiserver command lines: an argv (from ps text, a /proc cmdline dump, a k3s/RKE2
// journal, a systemd unit's ExecStart=, a container) is recognised as kube-apiserver, a
// k3s/RKE2 server (a settings layer) or MicroK8s's kubelite (a pointer to its args file).
import { InputError } from "../errors.js";
import type { TextFile } from "../readers/files.js";
import { readArgsFile } from "../readers/args-file.js";
import { readJournal, readPsText } from "../readers/ps.js";
import type { Assignment, SystemdUnit, UnitEnvironment } from "../readers/systemd.js";
import { expandWord, type Lookup } from "../readers/shell-words.js";
import type { ApiServerConfig, Diagnostic, KubernetesVersion, TargetSource } from "../types.js";
import { buildDocument, type CommandFound, type DistributionLayer, type NormalizeOptions } from "./apiserver-document.js";
import { cliSettings } from "./apiserver-k3s-rke2.js";
import type { ArgvItem } from "./argv.js";
import { findApiServerCommand } from "../readers/command.js";
import { MICROK8S_VARIABLES, RKE2_STATIC_POD } from "./distributions.js";
import { UNKNOWN_VERSION, kubernetesVersionInText, versionFromDistributionRelease, versionFromExecutablePath } from "./version.js";

/** An argv (with origins) → a document, a k3s/RKE2 command-line layer, or a kubelite pointer. */
export function fromCommand(
  source: TargetSource,
  items: ArgvItem[],
  version: KubernetesVersion | undefined,
  extraDiagnostics: Diagnostic[] = [],
  env?: Lookup,
): CommandFound | undefined {
  const command = findApiServerCommand(items, env);
  if (!command) return undefined;
  if (command.refused) {
    const { message, origin } = command.refused;
    throw new InputError(message, { file: origin.file, ...(origin.line ? { line: origin.line } : {}) });
  }
  extraDiagnostics = [...extraDiagnostics, ...(command.diagnostics ?? [])];
  const exeVersion = versionFromExecutablePath(command.items[0]!.text);
  switch (command.kind) {
    case "kube-apiserver":
      return { kind: "document", document: buildDocument(source, command.items, version ?? exeVersion ?? UNKNOWN_VERSION, extraDiagnostics) };
    case "k3s-server":
    case "rke2-server": {
      const distribution = command.kind === "k3s-server" ? "k3s" : "rke2";
      const layer: DistributionLayer = { distribution, role: "cli", file: source.path, settings: cliSettings(command.items.slice(1)), source };
      if (extraDiagnostics.length > 0) layer.diagnostics = extraDiagnostics;
      // k3s pkg/configfilearg/parser.go findConfigFileFlag: K3S_CONFIG_FILE / RKE2_CONFIG_FILE
      // wins over --config.
      const configFile = env?.(`${distribution.toUpperCase()}_CONFIG_FILE`);
      if (configFile) layer.configFromEnvironment = configFile;
      const v = version ?? exeVersion;
      if (v) layer.version = v;
      return { kind: "layer", layer };
    }
    case "kubelite": {
      const flag = command.items.find((item) => /^--apiserver-args-file(=|$)/.test(item.text));
      const index = flag ? command.items.indexOf(flag) : -1;
      const value = flag?.text.includes("=") ? flag.text.slice(flag.text.indexOf("=") + 1) : command.items[index + 1]?.text;
      return { kind: "kubelite", argsFile: expandSnapVariables(value ?? "${SNAP_DATA}/args/kube-apiserver"), source };
    }
  }
}

/** `ps` text: every API-server process line. */
export function fromProcessList(file: TextFile, options: NormalizeOptions): CommandFound[] {
  return readPsText(file).flatMap(({ line, words, truncated }) => {
    const items = words.map((text, argIndex) => ({ text, origin: { file: file.path, line, argIndex }, blankSplit: true }));
    const diagnostics: Diagnostic[] = truncated
      ? [{ code: "incomplete-flags", message: `the line looks cut short: ${truncated}; flags after the cut are missing`, origin: { file: file.path, line } }]
      : [];
    const found = fromCommand({ path: file.path, format: "ps", line }, items, options.kubernetesVersion, diagnostics);
    return found ? [found] : [];
  });
}

/** Old kernels cut /proc/<pid>/cmdline at one page. */
const CMDLINE_PAGE = 4096;

/** A /proc/<pid>/cmdline dump: argv separated (and ended) by NUL bytes. */
export function fromCmdline(file: TextFile, options: NormalizeOptions): CommandFound[] {
  const words = file.text.includes("\0") ? file.text.replace(/\0$/, "").split("\0") : file.text.trim().split(/\s+/);
  const items = words.map((text, argIndex) => ({ text, origin: { file: file.path, argIndex } }));
  const diagnostics: Diagnostic[] = [];
  if (Buffer.byteLength(file.text) === CMDLINE_PAGE) {
    diagnostics.push({
      code: "incomplete-flags",
      message: `the dump is exactly ${CMDLINE_PAGE} bytes, where kernels before 4.2 cut /proc/<pid>/cmdline; flags after the cut are missing`,
      origin: { file: file.path },
    });
  }
  const found = fromCommand({ path: file.path, format: "cmdline" }, items, options.kubernetesVersion, diagnostics);
  return found ? [found] : [];
}

/** k3s/RKE2 journal: the last "Running kube-apiserver …" line of the last run, with the
 * release that run logged. */
export function fromJournal(file: TextFile, options: NormalizeOptions): CommandFound[] {
  const { runs, version, earlierRuns } = readJournal(file);
  const run = runs.at(-1);
  if (!run && earlierRuns > 0 && version) {
    // The server restarted and the journal given stops before its kube-apiserver line: the
    // flags it runs with are not in it (an earlier run's are another configuration).
    throw new InputError(
      `the last run (started here) logged no "Running kube-apiserver" line: the flags it runs with are not in this journal, only an earlier run's; give the journal of the current run (journalctl -u <unit> -b --no-pager)`,
      { file: file.path, line: version.line },
    );
  }
  if (!run) return [];
  // k3s's apiServer (pkg/daemons/control/server.go) logs this line, then hands the same
  // arguments to its executor. k3s's embedded executor runs them unchanged
  // (pkg/daemons/executor/embed.go APIServer). RKE2's static-pod executor does not
  // (RKE2_STATIC_POD): it drops --advertise-port (a k3s flag, on every line) and
  // --basic-auth-file, and prepends flags that depend on options this journal does not show.
  const program = version?.program ?? run.program ?? programOfArgs(run.words);
  const origin = { file: file.path, line: run.line };
  const diagnostics: Diagnostic[] = run.truncated
    ? [{ code: "incomplete-flags", message: `the line looks cut short: ${run.truncated}; flags after the cut are missing`, origin }]
    : [];
  const named = (word: string) => /^--([^=]+)/.exec(word)?.[1];
  const dropped = (name: string | undefined) => name === "advertise-port" || (program === "rke2" && name === "basic-auth-file");
  const words = run.words.map((text, argIndex) => ({ text, argIndex })).filter(({ text }) => !dropped(named(text)));
  const items = words.map(({ text, argIndex }) => ({ text, origin: { file: file.path, line: run.line, argIndex }, blankSplit: true }));
  if (program !== "k3s") {
    const set = new Set(words.map(({ text }) => named(text)));
    const who = program === "rke2" ? "RKE2" : "the journal does not say whether k3s or RKE2 logged this line; if RKE2, it";
    const after = `${who} logs this line before its static pod's executor changes the arguments (rke2 pkg/executor/staticpod/staticpod.go APIServer)`;
    const unseen = "from RKE2 options this journal does not show; judge the pod manifest (/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml) or give RKE2's config.yaml instead";
    for (const [flag, when] of RKE2_STATIC_POD.added) {
      if (set.has(flag)) continue;
      diagnostics.push({ code: "incomplete-flags", message: `${after}: it adds --${flag} ${when}, ${unseen}`, flag, origin });
    }
    if (program === undefined && set.has("basic-auth-file")) {
      diagnostics.push({ code: "incomplete-flags", message: `${after}: it drops --basic-auth-file, which k3s added on old releases`, flag: "basic-auth-file", origin });
    }
  }
  // The Kubernetes version the journal prints wins over the release (k3s 0.x logs
  // "Starting k3s v0.3.0" and "Version: v1.13.5-k3s.1"); the release is mapped otherwise. Both
  // are read from the last run only.
  const from = (version?.line ?? 1) - 1;
  const inRun = kubernetesVersionInText(file.text.split(/\r?\n/).slice(from).join("\n"));
  const printed = inRun ? { text: inRun.text, line: inRun.line + from } : undefined;
  const v =
    options.kubernetesVersion ??
    (printed ? versionFromDistributionRelease(printed.text, `${file.path}:${printed.line}`) : undefined) ??
    (version ? versionFromDistributionRelease(version.text, `${file.path}:${version.line}`) : undefined) ??
    UNKNOWN_VERSION;
  return [{ kind: "document", document: buildDocument({ path: file.path, format: "journal", line: run.line }, items, v, diagnostics) }];
}

/** Which distribution's arguments a journal line holds, from what k3s puts in them: the
 * program name ending --api-audiences (server.go: "…," + version.Program), else the data
 * directory of the certificate paths; undefined when neither says. */
function programOfArgs(words: readonly string[]): "k3s" | "rke2" | undefined {
  const audiences = words.find((w) => w.startsWith("--api-audiences="))?.split(",").at(-1);
  if (audiences === "k3s" || audiences === "rke2") return audiences;
  const dir = words.map((w) => /\/rancher\/(k3s|rke2)\//.exec(w)?.[1]).find((d) => d !== undefined);
  return dir as "k3s" | "rke2" | undefined;
}

// ---- systemd and MicroK8s -------------------------------------------------------------------

/** A systemd unit's ExecStart=, with $VAR and ${VAR} expanded from Environment= and the
 * environment files (each expanded word keeps the env file and line it came from), the way
 * systemd does it (src/basic/env-util.c, replace_env_argv): `$VAR` as a word of its own
 * becomes the value split at whitespace, zero words when the variable is set nowhere;
 * `${VAR}` is replaced in place by the value, "" when set nowhere. A variable that an
 * EnvironmentFile= not given to kubecis may set is unknown: as a word of its own it is an
 * incomplete-flags diagnostic (it may hold any flags); inside a flag's value, that flag's. */
export function fromSystemdUnit(
  file: TextFile,
  unit: SystemdUnit,
  environment: UnitEnvironment,
  unresolved: Diagnostic[],
  options: NormalizeOptions,
): CommandFound | undefined {
  if (!unit.execStart) return undefined;
  // The ExecStart= in effect may be a drop-in's.
  const execFile = unit.execStart.file;
  const items: ArgvItem[] = [];
  const diagnostics: Diagnostic[] = [...unresolved];
  const { values, notGivenAfter } = environment;
  for (const word of unit.execStart.words) {
    if (word.bareVariable) {
      const name = word.bareVariable;
      const assignment = values.get(name);
      const hidden = notGivenAfter(name);
      if (hidden.length > 0) {
        diagnostics.push({
          code: "incomplete-flags",
          message: `$${name} stands for whole arguments, and ${hidden.join(", ")}, not given to kubecis, may set it${assignment ? ` after ${assignment.file}` : ""}: any flags may be there`,
          origin: { file: execFile, line: word.line },
        });
      } else if (!assignment) {
        diagnostics.push({
          code: "unresolved-variable",
          message: `$${name} is set neither by the unit nor by its environment files, so systemd passes nothing for it; if a drop-in (<unit>.d/*.conf) sets it, give that too`,
          origin: { file: execFile, line: word.line },
        });
      }
      // systemd: an unquoted $VAR becomes several words, split on whitespace.
      for (const part of (assignment?.value ?? "").split(/\s+/).filter((p) => p !== "")) {
        items.push({ text: part, origin: { file: assignment!.file, line: assignment!.line } });
      }
      continue;
    }
    let fromEnv: Assignment | undefined;
    const expanded = expandWord(
      word,
      (name) => {
        if (notGivenAfter(name).length > 0) return undefined;
        fromEnv = values.get(name) ?? fromEnv;
        return values.get(name)?.value ?? "";
      },
      "systemd",
    );
    items.push({
      text: expanded.text,
      origin: fromEnv ? { file: fromEnv.file, line: fromEnv.line } : { file: execFile, line: word.line },
      ...(expanded.unresolved.length > 0 ? { unresolved: expanded.unresolved } : {}),
    });
  }
  items.forEach((item, argIndex) => (item.origin = { ...item.origin, argIndex }));
  const env: Lookup = (name) => (notGivenAfter(name).length > 0 ? undefined : values.get(name)?.value);
  const source = { path: file.path, format: "systemd-unit", ...(execFile === file.path ? { line: unit.execStart.line } : {}) };
  return fromCommand(source, items, options.kubernetesVersion, diagnostics, env);
}

/** A MicroK8s args file: its lines are kube-apiserver's flags. */
export function fromArgsFile(file: TextFile, options: NormalizeOptions): ApiServerConfig {
  const items: ArgvItem[] = [
    { text: "kube-apiserver", origin: { file: file.path, source: "kubelite (MicroK8s) runs kube-apiserver with this args file" } },
    ...readArgsFile(file).map(({ text, line }) => ({ text: expandSnapVariables(text), origin: { file: file.path, line } })),
  ];
  return buildDocument({ path: file.path, format: "microk8s-args" }, items, options.kubernetesVersion ?? UNKNOWN_VERSION);
}

function expandSnapVariables(text: string): string {
  return text.replace(/\$\{?(SNAP_DATA|SNAP_COMMON|SNAP)\}?/g, (_, name: string) => MICROK8S_VARIABLES[name]!);
}

