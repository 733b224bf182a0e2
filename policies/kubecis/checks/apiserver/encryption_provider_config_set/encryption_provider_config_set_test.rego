package kubecis.checks.apiserver.encryption_provider_config_set_test

import data.kubecis.checks.apiserver.encryption_provider_config_set as check
import data.kubecis.lib.testing

test_set_passes if {
	r := check.result with input as testing.apiserver({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"})
	r.status == "pass"
	r.id == "KAS-0039"
	r.evidence.file.status == "not-given"
}

test_absent_fails if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
}

test_file_covering_secrets_passes if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["secrets"], "providers": [{"identity": {}}]}]}}}})
	r.status == "pass"
}

# The normalizer reads --experimental-encryption-provider-config as this flag (one variable,
# 1.7-1.23), with the name written; on 1.24, which no longer has that name, kube-apiserver does
# not start: a contradiction of the version, a fail, never a pass.
_experimental(minor) := json.patch(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc.yaml"}, minor), [
	{"op": "add", "path": "/flags/encryption-provider-config/writtenAs", "value": "experimental-encryption-provider-config"},
	{"op": "add", "path": "/flags/encryption-provider-config/spellings", "value": {"experimental-encryption-provider-config": {"argIndex": 1}}},
])

test_experimental_name_before_1_24_counts if {
	r := check.result with input as _experimental(13)
	r.status == "pass"
	r.evidence.flag.writtenAs == "experimental-encryption-provider-config"
	s := check.result with input as _experimental(24)
	s.status == "fail"
	contains(s.reason, "does not start with --experimental-encryption-provider-config (removed in 1.24")
}

test_file_without_secrets_fails if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["configmaps"], "providers": [{"aescbc": {"keys": "REDACTED"}}]}]}}}})
	r.status == "fail"
	endswith(r.reason, "no resources entry covers secrets")
}
