// Normalizer for kube-apiserver configurations: turns what the readers found (a process's
// argv, a Pod's container, a kubeadm ClusterConfiguration, a k3s/RKE2 config, a systemd
// unit, a MicroK8s args file) into ApiServerConfig documents. Distribution defaults are
// merged under the user's settings (data and merge rules: distributions.ts), and every flag
// keeps the origin that decided it. One module per input form; this is their one door.
//   apiserver-document.ts   buildDocument (argv → document), the options and shared types
//   apiserver-command.ts    command lines: ps, /proc cmdline, journal, systemd, MicroK8s args
//   apiserver-manifests.ts  static Pod manifests (Pod, List, PodList)
//   apiserver-kubeadm.ts    kubeadm ClusterConfiguration
//   apiserver-k3s-rke2.ts   k3s/RKE2 config files, drop-ins and server command lines
export { type CommandFound, type DistributionLayer, type NormalizeOptions } from "./apiserver-document.js";
export { fromArgsFile, fromCmdline, fromCommand, fromJournal, fromProcessList, fromSystemdUnit } from "./apiserver-command.js";
export { fromManifests } from "./apiserver-manifests.js";
export { fromKubeadm, isKubeadmDocument } from "./apiserver-kubeadm.js";
export {
  byConfigName,
  configFileOf,
  configLayer,
  configNotGiven,
  distributionConfigPath,
  distributionOfConfig,
  fromDistributionLayers,
  isConfigDropIn,
  readsConfig,
} from "./apiserver-k3s-rke2.js";
