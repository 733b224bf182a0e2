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

test_experimental_name_before_1_24_counts if {
	r := check.result with input as testing.apiserver_at({"experimental-encryption-provider-config": "/etc/kubernetes/enc.yaml"}, 13)
	r.status == "pass"
	r.evidence.flag.flag == "experimental-encryption-provider-config"
	s := check.result with input as testing.apiserver_at({"experimental-encryption-provider-config": "/etc/kubernetes/enc.yaml"}, 24)
	s.status == "fail"
}

test_file_without_secrets_fails if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["configmaps"], "providers": [{"aescbc": {"keys": "REDACTED"}}]}]}}}})
	r.status == "fail"
	endswith(r.reason, "no resources entry covers secrets")
}
