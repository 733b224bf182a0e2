import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArgv } from "./argv.js";
import { distributionBuiltinFlags, kubeadmGeneratedFlags, mergeDistribution, mergeKubeadm } from "./distributions.js";
import { loadFlagTable } from "./flag-table.js";

const table = loadFlagTable();
const exe = { text: "kube-apiserver", origin: { file: "t" } };
const builtinOrigin = { file: "config.yaml", source: "k3s built-in default" };
const userArg = (value: string, line: number) => ({ value, origin: { file: "config.yaml", line } });

describe("k3s/RKE2 argument merge (GetArgs), then kube-apiserver's parsing", () => {
  const k3s = distributionBuiltinFlags("k3s", { embeddedEtcd: false, secretsEncryption: false });

  it("a scalar given any number of times: the last one wins, from the line that gave it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 365 }), { minLength: 1, maxLength: 5 }), (ages) => {
        const args = mergeDistribution(exe, k3s, builtinOrigin, ages.map((n, i) => userArg(`audit-log-maxage=${n}`, i + 1)));
        const flag = parseArgv(args, table).flags["audit-log-maxage"]!;
        expect(flag).toMatchObject({ value: ages.at(-1), occurrences: ages.length, origin: { line: ages.length } });
      }),
    );
  });

  it("key+= appends to the built-in value, key-= prepends, key= replaces it", () => {
    const plugin = fc.stringMatching(/^[A-Z][a-zA-Z]{2,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("+", "-", ""), plugin), { minLength: 1, maxLength: 5 }), (entries) => {
        const args = mergeDistribution(exe, k3s, builtinOrigin, entries.map(([op, p], i) => userArg(`enable-admission-plugins${op}=${p}`, i + 1)));
        // Model of GetArgs: the built-in value survives in the first entry's list only if
        // that entry appends or prepends; later entries see the list built so far.
        let list: string[] = [];
        entries.forEach(([op, p], i) => {
          const base = i === 0 ? ["NodeRestriction"] : [];
          if (op === "+") list = [...(i === 0 ? base : []), ...list, p];
          else if (op === "-") list = [p, ...(i === 0 ? base : []), ...list];
          else list = [...list, p];
        });
        expect(parseArgv(args, table).flags["enable-admission-plugins"]!.value).toEqual(list);
      }),
    );
  });

  it("built-in flags the user does not touch keep the distribution's origin", () => {
    const args = mergeDistribution(exe, k3s, builtinOrigin, [userArg("profiling=true", 3)]);
    const { flags } = parseArgv(args, table);
    expect(flags["profiling"]).toMatchObject({ value: true, origin: { line: 3 } });
    expect(flags["anonymous-auth"]).toMatchObject({ value: false, origin: builtinOrigin });
  });
});

describe("kubeadm extraArgs merge", () => {
  const generated = kubeadmGeneratedFlags({ origin: { file: "kubeadm.yaml", source: "kubeadm v1beta4 generated flag" } });
  it("an extraArgs name replaces the generated value; repeated names (v1beta4) all become arguments", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("/a.pub", "/b.pub", "/c.pub"), { minLength: 1, maxLength: 4 }), (keys) => {
        const extra = keys.map((k, i) => ({ name: "service-account-key-file", setting: { value: k, origin: { file: "kubeadm.yaml", line: i + 10 } } }));
        const { flags } = parseArgv(mergeKubeadm(exe, generated, extra), table);
        expect(flags["service-account-key-file"]!.value).toEqual(keys);
        expect(flags["enable-bootstrap-token-auth"]).toMatchObject({ value: true, origin: { source: "kubeadm v1beta4 generated flag" } });
      }),
    );
  });
});

describe("k3s datastore-endpoint", () => {
  const etcdServers = (endpoint: string) =>
    parseArgv(mergeDistribution(exe, distributionBuiltinFlags("k3s", { embeddedEtcd: false, secretsEncryption: false, datastoreEndpoint: endpoint }), builtinOrigin, []), table)
      .flags["etcd-servers"]?.value;

  it("an SQL or NATS datastore is kine's: kube-apiserver gets kine's socket, never the DSN", () => {
    for (const dsn of ["postgres://k3s:pa,ss@db:5432/k3s", "mysql://k3s:p@ss@tcp(db:3306)/k3s", "sqlite:///var/lib/k3s.db", "nats://u:p@nats:4222"]) {
      expect(etcdServers(dsn)).toEqual(["unix://kine.sock"]);
    }
  });

  it("an etcd datastore (http/https) is given to kube-apiserver, its credentials redacted", () => {
    expect(etcdServers("https://e1:2379,https://u:p,w@e2:2379")).toEqual(["https://e1:2379", "https://u:REDACTED@e2:2379"]);
  });
});
