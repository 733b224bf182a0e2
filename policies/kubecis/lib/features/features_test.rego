package kubecis.lib.features_test

import data.kubecis.lib.features
import data.kubecis.lib.testing

_with_file(flags, minor, flag, content) := object.union(testing.apiserver_at(flags, minor), {"files": {flag: {"path": "/etc/f.yaml", "status": "read", "content": content}}})

_kms(version) := {"resources": [{"resources": ["secrets"], "providers": [{"kms": object.union({"name": "k"}, version)}]}]}

test_gate_defaults_follow_the_minor if {
	features.default_at("StructuredAuthorizationConfiguration", 29) == false
	features.default_at("StructuredAuthorizationConfiguration", 30) == true
	not features.exists_at("StructuredAuthorizationConfiguration", 28)
	not features.exists_at("KMSv2", 32)
	features.exists_at("KMSv2", 31)
}

test_given_gates_read_both_spellings if {
	g := features.given with input as testing.apiserver_at({"feature-gates": {"kube:KMSv1": true, "SecurityContextDeny": false}}, 33)
	g == {"KMSv1": true, "SecurityContextDeny": false}
}

test_emulated_version_sets_the_feature_level if {
	features.emulated == 31 with input as testing.apiserver_at({"emulated-version": ["kube=1.31"]}, 33)
	features.emulated == 30 with input as testing.apiserver_at({"emulated-version": ["1.30"]}, 31)
	not features.emulated with input as testing.apiserver_at({"emulated-version": ["etcd=3.5"]}, 33)
	features.enabled_at("AnonymousAuthConfigurableEndpoints", 33) == false with input as testing.apiserver_at({"emulated-version": ["kube=1.31"]}, 33)
	features.enabled_at("AnonymousAuthConfigurableEndpoints", 33) == true with input as testing.apiserver_at({}, 33)
}

test_each_use_is_recognised if {
	features.uses == {"security-context-deny", "authorization-config"} with input as testing.apiserver_at({"admission-control": ["SecurityContextDeny"], "authorization-config": "/etc/a.yaml"}, 29)
	features.uses == {"authentication-config", "anonymous-field"} with input as _with_file({"authentication-config": "/etc/f.yaml"}, 31, "authentication-config", {"anonymous": {"enabled": false}})
	features.uses == {"kms-v2"} with input as _with_file({"encryption-provider-config": "/etc/f.yaml"}, 26, "encryption-provider-config", _kms({"apiVersion": "v2"}))
	features.uses == {"kms-v1"} with input as _with_file({"encryption-provider-config": "/etc/f.yaml"}, 29, "encryption-provider-config", _kms({}))
}

test_known_version_refusal_is_a_contradiction if {
	r := features.refusal(["encryption-provider-config"], "pass", "") with input as _with_file({"encryption-provider-config": "/etc/f.yaml"}, 29, "encryption-provider-config", _kms({}))
	r.status == "fail"
	r.contradicts == true
	r.reason == "kube-apiserver 1.29 does not start with a kms provider of apiVersion v1 in the --encryption-provider-config file unless --feature-gates=KMSv1=true (off by default there): the version or the configuration is wrong"

	# Not about the flags the control reads: no refusal.
	not features.refusal(["profiling"], "pass", "") with input as _with_file({"encryption-provider-config": "/etc/f.yaml"}, 29, "encryption-provider-config", _kms({}))
}

test_gate_named_before_it_exists_is_refused if {
	r := features.refusal(["feature-gates"], "pass", "") with input as testing.apiserver_at({"feature-gates": {"StructuredAuthorizationConfiguration": true}}, 28)
	r.reason == "kube-apiserver 1.28 does not start with --feature-gates naming StructuredAuthorizationConfiguration (the gate was added in 1.29): the version or the configuration is wrong"
}

test_unknown_version_splits_or_fails if {
	w := features.refusal(["authorization-config"], "pass", "") with input as testing.apiserver_at({"authorization-config": "/etc/a.yaml"}, null)
	w.status == "warn"
	w.reason == "kube-apiserver 1.29 does not start with --authorization-config unless --feature-gates=StructuredAuthorizationConfiguration=true (off by default there); on the other versions it may run: pass; give --kubernetes-version"
	f := features.refusal(["authorization-config"], "pass", "") with input as json.patch(
		testing.apiserver_at({"authorization-config": "/etc/a.yaml", "feature-gates": {"StructuredAuthorizationConfiguration": false}}, null),
		[{"op": "add", "path": "/kubernetesVersion/range", "value": {"from": 29}}],
	)
	f.status == "fail"
	f.contradicts == true

	# A fail of the control's own stays.
	not features.refusal(["authorization-config"], "fail", "x") with input as testing.apiserver_at({"authorization-config": "/etc/a.yaml"}, null)
}

test_both_spellings_the_plain_name_wins if {
	g := features.given with input as testing.apiserver_at({"feature-gates": {"kube:KMSv1": true, "KMSv1": false}}, 33)
	g == {"KMSv1": false}
}
