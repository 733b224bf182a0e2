package kubecis.lib.pod_test

import data.kubecis.lib.pod

_pod(image, args) := {
	"kind": "Pod",
	"spec": {"containers": [
		{"name": "sidecar", "image": "busybox", "command": ["sh"]},
		{"name": "kube-apiserver", "image": image, "command": ["/usr/local/bin/kube-apiserver"], "args": args},
	]},
}

_flags(args) := f if {
	f := pod.documents[0].flags with input as _pod("registry.k8s.io/kube-apiserver:v1.33.0", args)
}

test_one_document_per_apiserver_container if {
	docs := pod.documents with input as _pod("registry.k8s.io/kube-apiserver:v1.33.0", [])
	count(docs) == 1
	docs[0].metadata.source == {"path": "-", "format": "pod-manifest", "container": "kube-apiserver"}
	docs[0].kubernetesVersion == {"version": "1.33.0", "major": 1, "minor": 33, "source": "image tag registry.k8s.io/kube-apiserver:v1.33.0"}
}

test_lists_of_pods if {
	p := _pod("registry.k8s.io/kube-apiserver:v1.30", [])
	count(pod.documents) == 2 with input as {"kind": "List", "items": [p, {"kind": "Service"}, p]}
	count(pod.documents) == 1 with input as {"kind": "PodList", "items": [p]}
}

test_file_name_from_conftest if {
	docs := pod.documents with input as _pod("x", []) with data.conftest.file.name as "kube-apiserver.yaml"
	docs[0].metadata.source.path == "kube-apiserver.yaml"
}

test_versions if {
	v := pod.documents[0].kubernetesVersion with input as _pod("k8s.gcr.io/kube-apiserver-amd64:v1.19.16@sha256:0123abcd", [])
	v == {"version": "1.19.16", "major": 1, "minor": 19, "source": "image tag k8s.gcr.io/kube-apiserver-amd64:v1.19.16"}
	w := pod.documents[0].kubernetesVersion with input as _pod("registry.k8s.io/kube-apiserver:v1.30", [])
	w.version == "1.30"
	u := pod.documents[0].kubernetesVersion with input as _pod("example.com/apiserver:latest", [])
	u.version == null
}

# A pre-release keeps its minor, not its patch; a build suffix names the release itself.
test_pre_release_versions if {
	rc := pod.documents[0].kubernetesVersion with input as _pod("registry.k8s.io/kube-apiserver:v1.34.0-rc.1", [])
	rc == {
		"version": "1.34", "major": 1, "minor": 34,
		"source": "image tag registry.k8s.io/kube-apiserver:v1.34.0-rc.1, a pre-release (rc.1) of 1.34.0: before that release, so its patch is not known",
	}
	alpha := pod.documents[0].kubernetesVersion with input as _pod("registry.k8s.io/kube-apiserver:v1.35-alpha.0", [])
	alpha.version == "1.35"
	eks := pod.documents[0].kubernetesVersion with input as _pod("registry.k8s.io/kube-apiserver:v1.29.3-eks-adc7111", [])
	eks.version == "1.29.3"
	coreos := pod.documents[0].kubernetesVersion with input as _pod("quay.io/coreos/hyperkube:v1.19.2_coreos.0", [])
	coreos.version == "1.19.2"
}

test_valued_and_boolean_flags if {
	f := _flags(["--authorization-mode", "Node,RBAC", "--anonymous-auth", "false", "--profiling=0"])
	f["authorization-mode"].value == ["Node", "RBAC"]
	f["anonymous-auth"].value == true
	f.profiling == {"value": false, "origin": {"argIndex": 5}, "occurrences": 1}
	not f["false"]
}

test_slices_accumulate_and_scalars_last_wins if {
	f := _flags(["--authorization-mode=Node", "--authorization-mode=RBAC", "--profiling=true", "--profiling=false"])
	f["authorization-mode"] == {"value": ["Node", "RBAC"], "origin": {"argIndex": 2}, "occurrences": 2}
	f.profiling.value == false
	_flags(["--authorization-mode="])["authorization-mode"].error == "at least one value must be passed; kube-apiserver refuses an empty list"
	_flags(["--enable-admission-plugins="])["enable-admission-plugins"].value == []
	startswith(_flags(["--authorization-mode=\"Node\",\"RB\"\"AC\""])["authorization-mode"].error, "\"RB\"AC\" is not one of")
	_flags(["--enable-admission-plugins=,\"A,B\",C"])["enable-admission-plugins"].error == "an empty item in the list; kube-apiserver refuses it"
	_flags(["--tls-cipher-suites=\"A\",\"B,C\""])["tls-cipher-suites"].value == ["A", "B,C"]
	_flags(["--api-audiences=a,\"b"])["api-audiences"].error == "not one CSV record (a bare or unbalanced \" quote)"
	_flags(["--api-audiences=a", "--api-audiences=b"])["api-audiences"].value == ["a", "b"]
}

test_invalid_values if {
	f := _flags(["--anonymous-auth=yes", "--secure-port=99999", "--audit-log-maxage=ten"])
	f["anonymous-auth"].error == "invalid boolean \"yes\" (Go strconv.ParseBool)"
	f["secure-port"].error == "port 99999 is out of range 0-65535"
	f["audit-log-maxage"] == {"raw": "ten", "error": "invalid integer \"ten\"", "origin": {"argIndex": 3}, "occurrences": 1}
}

test_go_integers if {
	f := _flags(["--secure-port=0x1bb", "--audit-log-maxage=030", "--audit-log-maxbackup=0b101", "--audit-log-maxsize=-7", "--apiserver-count=0o7"])
	f["secure-port"].value == 443
	f["audit-log-maxage"].value == 24
	f["audit-log-maxbackup"].value == 5
	f["audit-log-maxsize"].value == -7
	f["apiserver-count"].value == 7
}

test_maps if {
	f := _flags(["--feature-gates=A=true, B=false", "--feature-gates=C=true"])
	f["feature-gates"].value == {"A": true, "B": false, "C": true}
	_flags(["--feature-gates=A=maybe"])["feature-gates"].error == "invalid boolean \"maybe\" for A"
	_flags(["--feature-gates=x"])["feature-gates"].error == "\"x\" is not key=value"
}

# pflag stops at the first value it cannot parse: the flag stays failed whatever follows.
test_first_error_sticks if {
	f := _flags(["--feature-gates=A=true", "--feature-gates=x", "--feature-gates=B=true"])
	f["feature-gates"] == {"raw": "x", "error": "\"x\" is not key=value", "origin": {"argIndex": 2}, "occurrences": 3}
}

test_missing_value_and_unknown_flags if {
	f := _flags(["--no-such-flag", "v", "--other=1", "--lonely", "--etcd-servers"])
	f["no-such-flag"] == {"value": "v", "unknown": true, "origin": {"argIndex": 1}, "occurrences": 1}
	f.other.value == "1"
	f.lonely.value == ""
	f["etcd-servers"] == {"raw": "", "error": "flag needs an argument", "origin": {"argIndex": 5}, "occurrences": 1}
}

test_value_chains_and_end_of_flags if {
	f := _flags(["--etcd-servers", "--audit-log-path", "--audit-log-path", "/a.log", "--", "--profiling=false", "-v=4"])
	f["etcd-servers"].value == ["--audit-log-path"]
	f["audit-log-path"].value == "/a.log"
	not f.profiling
	g := _flags(["--audit-log-path", "--", "--profiling=false", "-v", "4", "--audit_log_maxage=3"])
	g["audit-log-path"].value == "--"
	g.profiling.value == false
	g["audit-log-maxage"].value == 3
}

test_credentials_are_redacted if {
	f := _flags(["--etcd-servers=https://user:s3cret@etcd:2379,https://a:b@e2"])
	f["etcd-servers"].value == ["https://user:REDACTED@etcd:2379", "https://a:REDACTED@e2"]
}

test_non_string_arguments_make_the_pod_malformed if {
	bad := {"kind": "Pod", "spec": {"containers": [{"command": ["kube-apiserver", "--secure-port", 6443]}]}}
	pod.documents == [] with input as bad
	pod.malformed == {"spec.containers[0].command: expected a list of strings; kubelet does not run this Pod, so it is not judged"} with input as bad
}

test_malformed_pods_give_no_document_and_a_message if {
	bad := {"kind": "Pod", "spec": {"containers": [
		{"name": "a", "command": ["kube-apiserver"], "args": "--profiling=false"},
		null,
	]}}
	pod.documents == [] with input as bad
	pod.malformed == {
		"spec.containers[0].args: expected a list of strings; kubelet does not run this Pod, so it is not judged",
		"spec.containers[1]: expected a container (a mapping); kubelet does not run this Pod, so it is not judged",
	} with input as bad
	pod.malformed == {"spec.containers: expected a list of containers; kubelet does not run this Pod, so it is not judged"} with input as {"kind": "Pod", "spec": {"containers": "x"}}
	pod.malformed == {"spec.containers: expected a list of containers; kubelet does not run this Pod, so it is not judged"} with input as {"kind": "Pod", "spec": {"containers": null}}
	count(pod.malformed) == 0 with input as {"kind": "Pod", "spec": {"containers": [{"command": ["kube-apiserver"]}]}}
}

test_shell_scripts_are_not_judged_as_nothing if {
	sh := {"kind": "Pod", "spec": {"containers": [{"command": ["/bin/sh", "-c", "exec kube-apiserver --authorization-mode=${AUTHZ:-AlwaysAllow}"]}]}}
	pod.documents == [] with input as sh
	pod.malformed == {"spec.containers[0]: starts kube-apiserver through a shell script, which this Rego adapter does not read; judge `kubecis normalize` output instead"} with input as sh
	count(pod.malformed) == 0 with input as {"kind": "Pod", "spec": {"containers": [{"command": ["/bin/sh", "-c", "sleep 1"]}]}}
}

# A wrapper the TypeScript normalizer peels off (src/readers/command.ts findApiServerCommand:
# hyperkube's subcommand, go-runner, env, exec, nice) is named in a denial, never taken for a
# Pod without kube-apiserver.
test_wrapped_apiservers_are_denied_with_the_wrapper_named if {
	cases := [
		[["/hyperkube", "kube-apiserver", "--anonymous-auth=false"], "hyperkube"],
		[["/usr/local/bin/hyperkube", "apiserver"], "hyperkube"],
		[["/go-runner", "--log-file=/var/log/kube-apiserver.log", "--", "/usr/local/bin/kube-apiserver", "--profiling=false"], "go-runner"],
		[["env", "GODEBUG=x", "kube-apiserver"], "env"],
	]
	every c in cases {
		p := {"kind": "Pod", "spec": {"containers": [{"name": "x", "command": c[0]}]}}
		pod.documents == [] with input as p
		pod.malformed == {concat("", ["spec.containers[0]: runs kube-apiserver through ", c[1], ", which this Rego adapter does not read; judge `kubecis normalize` output instead"])} with input as p
	}
	count(pod.malformed) == 0 with input as {"kind": "Pod", "spec": {"containers": [{"command": ["/hyperkube", "kubelet"]}]}}
	count(pod.malformed) == 0 with input as {"kind": "Pod", "spec": {"containers": [{"command": ["/go-runner", "--", "/usr/local/bin/kube-scheduler"]}]}}
}

test_kubelet_references_are_denied_not_judged if {
	refs := {"kind": "Pod", "spec": {"containers": [
		{"command": ["kube-apiserver"], "args": ["--enable-admission-plugins=NodeRestriction,$(EXTRA)"], "env": [{"name": "EXTRA", "value": "AlwaysAdmit"}]},
		{"command": ["kube-apiserver", "--audit-log-path=/var/log/$$(X).log"]},
		{"command": ["kube-apiserver", "--audit-log-path=/var/log/$X.log"]},
	]}}
	count(pod.documents) == 1 with input as refs
	pod.malformed == {
		"spec.containers[0]: its command or args use kubelet's $(VAR) expansion, which this Rego adapter does not apply; judge `kubecis normalize` output instead",
		"spec.containers[1]: its command or args use kubelet's $(VAR) expansion, which this Rego adapter does not apply; judge `kubecis normalize` output instead",
	} with input as refs
}

# Key material is redacted as src/redact.ts redactArgv does (F5: the adapter used to keep these).
test_key_material_is_redacted_before_flags_are_read if {
	f := _flags([
		"--etcd-servers=https://root:pw/with@at@etcd-a:2379,https://u:p@etcd-b:2379",
		"--oidc-issuer-url=https://tokenonly@issuer",
		"--oidc-client-secret=s3cret", "--foo-token", "t0ken",
		"--tls-cert-file=-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
		"--service-account-issuer=https://h/?sslmode=x&password=pw&user=u",
		"--insecure-allow-any-token=true",
	])
	f["etcd-servers"].value == ["https://root:REDACTED@etcd-a:2379", "https://u:REDACTED@etcd-b:2379"]
	f["oidc-issuer-url"].value == "https://REDACTED@issuer"
	f["oidc-client-secret"].value == "REDACTED"
	f["foo-token"].value == "REDACTED"
	f["tls-cert-file"].value == "REDACTED"
	f["service-account-issuer"].value == ["https://h/?sslmode=x&password=REDACTED&user=u"]
}

test_a_pem_block_given_as_separate_words_is_redacted_word_by_word if {
	pod.redacted_argv(["kube-apiserver", "--tls-cert-file", "-----BEGIN PRIVATE KEY-----", "MIIE", "-----END PRIVATE KEY-----", "--profiling=false"]) == ["kube-apiserver", "--tls-cert-file", "REDACTED", "REDACTED", "REDACTED", "--profiling=false"]
	pod.redacted_argv(["kube-apiserver", "prefix https://u:p@h rest"]) == ["kube-apiserver", "prefix https://u:REDACTED@h rest"]
}
