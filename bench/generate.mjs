// Seeded generator of realistic kube-apiserver static pod manifests for the benchmarks.
// Each manifest is what kubeadm writes for one Kubernetes minor (1.19–1.34), varied the ways
// real ones are: flag order, `--flag=value` vs `--flag value` for valued flags, the argv in
// `command` alone or split into `command` + `args`, kubeadm defaults vs a CIS-hardened set,
// and a share of typical mistakes (AlwaysAllow, RBAC without Node, an authorization or
// authentication config file, a repeated flag, an unparsable boolean).
// The same seed always gives the same bytes.

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    shuffle(list) {
      const out = [...list];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

const BOOL_FLAGS = new Set(["anonymous-auth", "profiling", "allow-privileged", "enable-bootstrap-token-auth", "service-account-lookup", "kubelet-https"]);

function kubeadmFlags(r, minor, ip) {
  const flags = [
    ["advertise-address", ip],
    ["allow-privileged", "true"],
    ["authorization-mode", "Node,RBAC"],
    ["client-ca-file", "/etc/kubernetes/pki/ca.crt"],
    ["enable-admission-plugins", "NodeRestriction"],
    ["enable-bootstrap-token-auth", "true"],
    ["etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"],
    ["etcd-certfile", "/etc/kubernetes/pki/apiserver-etcd-client.crt"],
    ["etcd-keyfile", "/etc/kubernetes/pki/apiserver-etcd-client.key"],
    ["etcd-servers", "https://127.0.0.1:2379"],
    ["kubelet-client-certificate", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"],
    ["kubelet-client-key", "/etc/kubernetes/pki/apiserver-kubelet-client.key"],
    ["kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname"],
    ["proxy-client-cert-file", "/etc/kubernetes/pki/front-proxy-client.crt"],
    ["proxy-client-key-file", "/etc/kubernetes/pki/front-proxy-client.key"],
    ["requestheader-allowed-names", "front-proxy-client"],
    ["requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"],
    ["requestheader-extra-headers-prefix", "X-Remote-Extra-"],
    ["requestheader-group-headers", "X-Remote-Group"],
    ["requestheader-username-headers", "X-Remote-User"],
    ["secure-port", "6443"],
    ["service-account-issuer", "https://kubernetes.default.svc.cluster.local"],
    ["service-account-key-file", "/etc/kubernetes/pki/sa.pub"],
    ["service-account-signing-key-file", "/etc/kubernetes/pki/sa.key"],
    ["service-cluster-ip-range", r.pick(["10.96.0.0/12", "10.43.0.0/16", "172.20.0.0/16"])],
    ["tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"],
    ["tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"],
  ];
  if (minor < 20) flags.push(["insecure-port", "0"]);
  return flags;
}

const CIPHERS = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

function hardenedFlags(r, minor) {
  const plugins = ["NodeRestriction", "AlwaysPullImages", "EventRateLimit"];
  if (minor < 25) plugins.push("PodSecurityPolicy");
  return [
    ["anonymous-auth", "false"],
    ["profiling", "false"],
    ["enable-admission-plugins", plugins.join(",")],
    ["admission-control-config-file", "/etc/kubernetes/admission/admission-config.yaml"],
    ["audit-log-path", "/var/log/kubernetes/audit/audit.log"],
    ["audit-log-maxage", String(r.pick([30, 30, 60, 7]))],
    ["audit-log-maxbackup", String(r.pick([10, 10, 20, 3]))],
    ["audit-log-maxsize", String(r.pick([100, 100, 200, 50]))],
    ["audit-policy-file", "/etc/kubernetes/audit/policy.yaml"],
    ["encryption-provider-config", "/etc/kubernetes/enc/encryption-config.yaml"],
    ["kubelet-certificate-authority", "/etc/kubernetes/pki/ca.crt"],
    ["request-timeout", r.pick(["60s", "300s", "1m0s"])],
    ["service-account-lookup", "true"],
    ["tls-cipher-suites", CIPHERS],
    ["tls-min-version", "VersionTLS12"],
  ];
}

/** One manifest's argv, its image minor and a label saying which variant it is. */
function manifestArgv(r, minor) {
  const ip = `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  let flags = kubeadmFlags(r, minor, ip);
  const variant = r.pick(["kubeadm", "kubeadm", "hardened", "hardened", "partial", "mistake"]);
  if (variant === "hardened") {
    const hardened = hardenedFlags(r, minor);
    const names = new Set(hardened.map(([n]) => n));
    flags = [...flags.filter(([n]) => !names.has(n)), ...hardened];
  } else if (variant === "partial") {
    flags.push(...r.shuffle(hardenedFlags(r, minor)).slice(0, r.int(1, 8)));
    flags = dedupe(flags);
  } else if (variant === "mistake") {
    const mistake = r.pick(["always-allow", "rbac-only", "authz-config", "authn-config", "repeated", "bad-bool", "no-mode", "profiling-on"]);
    switch (mistake) {
      case "always-allow": set(flags, "authorization-mode", r.pick(["AlwaysAllow", "Node,RBAC,AlwaysAllow"])); break;
      case "rbac-only": set(flags, "authorization-mode", "RBAC"); break;
      case "authz-config":
        flags = flags.filter(([n]) => n !== "authorization-mode");
        flags.push(["authorization-config", "/etc/kubernetes/authorization-config.yaml"]);
        break;
      case "authn-config": flags.push(["authentication-config", "/etc/kubernetes/authentication-config.yaml"]); break;
      case "repeated": flags.push(["authorization-mode", "Webhook"], ["anonymous-auth", "false"]); break;
      case "bad-bool": flags.push([r.pick(["anonymous-auth", "profiling"]), r.pick(["off", "no", "disabled"])]); break;
      case "no-mode": flags = flags.filter(([n]) => n !== "authorization-mode"); break;
      case "profiling-on": flags.push(["profiling", "true"], ["anonymous-auth", "false"]); break;
    }
  }
  if (r.chance(0.7)) flags = r.shuffle(flags);
  const spaced = r.chance(0.25); // this manifest writes valued flags as `--flag value`
  const argv = [];
  for (const [name, value] of flags) {
    if (spaced && !BOOL_FLAGS.has(name) && r.chance(0.6)) argv.push(`--${name}`, value);
    else argv.push(`--${name}=${value}`);
  }
  return { argv, ip, variant };
}

function dedupe(flags) {
  const seen = new Map();
  for (const [n, v] of flags) seen.set(n, v);
  return [...seen];
}

function set(flags, name, value) {
  const found = flags.find(([n]) => n === name);
  if (found) found[1] = value;
  else flags.push([name, value]);
}

const MINORS = [19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34];

/** The YAML text of manifest number i of a seeded set. */
export function generateManifest(seed, i) {
  const r = rng(seed * 1_000_003 + i);
  const minor = r.pick(MINORS);
  const patch = r.int(0, 12);
  const registry = minor < 25 ? r.pick(["k8s.gcr.io", "registry.k8s.io"]) : "registry.k8s.io";
  const { argv, ip } = manifestArgv(r, minor);
  const split = r.chance(0.4); // argv in command + args instead of command alone
  const command = split ? ["kube-apiserver"] : ["kube-apiserver", ...argv];
  const args = split ? argv : [];
  const list = (items, indent) => items.map((a) => `${indent}- ${quote(a)}`).join("\n");
  const cmdBlock = `    command:\n${list(command, "    ")}` + (split ? `\n    args:\n${list(args, "    ")}` : "");
  const probe = (path, initial, failures) => `      failureThreshold: ${failures}
      httpGet:
        host: ${ip}
        path: ${path}
        port: probe-port
        scheme: HTTPS
${initial ? "      initialDelaySeconds: 10\n" : ""}      periodSeconds: ${initial ? 10 : 1}
      timeoutSeconds: 15`;
  return `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: ${ip}:6443
  labels:
    component: kube-apiserver
    tier: control-plane
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
${cmdBlock}
    image: ${registry}/kube-apiserver:v1.${minor}.${patch}
    imagePullPolicy: IfNotPresent
    livenessProbe:
${probe("/livez", true, 8)}
    ports:
    - containerPort: 6443
      name: probe-port
      protocol: TCP
    readinessProbe:
${probe("/readyz", false, 3)}
    resources:
      requests:
        cpu: 250m
    startupProbe:
${probe("/livez", true, 24)}
    volumeMounts:
${["ca-certs:/etc/ssl/certs", "etc-ca-certificates:/etc/ca-certificates", "k8s-certs:/etc/kubernetes/pki"]
  .map((v) => `    - mountPath: ${v.split(":")[1]}\n      name: ${v.split(":")[0]}\n      readOnly: true`)
  .join("\n")}
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
${["ca-certs:/etc/ssl/certs", "etc-ca-certificates:/etc/ca-certificates", "k8s-certs:/etc/kubernetes/pki"]
  .map((v) => `  - hostPath:\n      path: ${v.split(":")[1]}\n      type: DirectoryOrCreate\n    name: ${v.split(":")[0]}`)
  .join("\n")}
status: {}
`;
}

/** Quotes what YAML 1.1 would otherwise read as something other than the string. */
function quote(text) {
  return /^[\w./:=,@+-]+$/.test(text) && !/^(y|n|yes|no|on|off|true|false|null|~|\d+)$/i.test(text) ? text : JSON.stringify(text);
}
