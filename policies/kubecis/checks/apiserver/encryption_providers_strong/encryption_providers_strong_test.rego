package kubecis.checks.apiserver.encryption_providers_strong_test

import data.kubecis.checks.apiserver.encryption_providers_strong as check
import data.kubecis.lib.testing

test_aescbc_first_passes if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"kind": "EncryptionConfiguration", "resources": [{"resources": ["secrets", "configmaps"], "providers": [{"aescbc": {"keys": [{"name": "key1", "secret": "REDACTED"}]}}, {"identity": {}}]}]}}}})
	r.status == "pass"
	r.id == "KAS-0040"
	r.evidence.secretsEntries == [{"entry": 0, "resources": ["secrets", "configmaps"], "firstProvider": "aescbc"}]
	not contains(json.marshal(r), "key1")
}

test_kms_v2_and_wildcard_pass if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["*.*"], "providers": [{"kms": {"apiVersion": "v2", "name": "vault"}}]}]}}}})
	r.status == "pass"
}

test_identity_first_fails if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["secrets"], "providers": [{"identity": {}}, {"aescbc": {"keys": "REDACTED"}}]}]}}}})
	r.status == "fail"
	contains(r.reason, "identity stores them unencrypted")
	r.evidence.unencryptedResources == ["secrets"]
}

test_aesgcm_first_fails if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["*."], "providers": [{"aesgcm": {"keys": "REDACTED"}}]}]}}}})
	r.status == "fail"
	r.reason == "secrets are written with aesgcm as first provider (CIS accepts aescbc, secretbox or kms first)"
}

test_secrets_not_covered_fails if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 33), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["configmaps"], "providers": [{"identity": {}}]}]}}}})
	r.status == "fail"
	r.evidence.unencryptedResources == ["configmaps"]
}

# On 1.28 KMSv1 is on by default (deprecated); from 1.29 it needs its gate (lib.features).
test_kms_v1_warns if {
	r := check.result with input as object.union(testing.apiserver_at({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}, 28), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "read", "content": {"resources": [{"resources": ["secrets"], "providers": [{"kms": {"name": "old"}}]}]}}}})
	r.status == "warn"
	contains(r.reason, "KMS v1")
}

test_flag_absent_fails if {
	r := check.result with input as testing.apiserver({})
	r.status == "fail"
}

test_file_not_given_warns if {
	r := check.result with input as testing.apiserver({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"})
	r.status == "warn"
	r.reason == "--encryption-provider-config=/etc/kubernetes/enc/enc.yaml was not given to kubecis: provide the file to judge which providers encrypt secrets"
}

test_unreadable_file_is_an_error if {
	doc := object.union(testing.apiserver({"encryption-provider-config": "/etc/kubernetes/enc/enc.yaml"}), {"files": {"encryption-provider-config": {"path": "/etc/kubernetes/enc/enc.yaml", "status": "missing", "error": "no such file"}}})
	r := check.result with input as doc
	r.status == "error"
	r.reason == "--encryption-provider-config=/etc/kubernetes/enc/enc.yaml is missing: no such file"
}
