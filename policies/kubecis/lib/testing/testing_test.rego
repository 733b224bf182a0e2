# METADATA
# title: Test helpers
# description: Builders for ApiServerConfig input documents in Rego unit tests (not shipped).
package kubecis.lib.testing

# apiserver(flags) is an ApiServerConfig for Kubernetes 1.33 with the given flag values.
apiserver(flags) := apiserver_at(flags, 33)

# apiserver_at(flags, minor) is the same for Kubernetes 1.<minor>; minor null means unknown.
apiserver_at(flags, minor) := {
	"apiVersion": "kubecis.dev/v1alpha1",
	"kind": "ApiServerConfig",
	"metadata": {"source": {"path": "test.yaml", "format": "pod-manifest"}},
	"kubernetesVersion": _version(minor),
	"flags": {name: _flag(value) | some name, value in flags},
	"diagnostics": [],
}

_version(minor) := {"version": concat("", ["1.", format_int(minor, 10), ".0"]), "major": 1, "minor": minor, "source": "test"} if {
	minor != null
}

_version(null) := {"version": null, "source": "unknown"}

_flag(value) := {"value": value, "origin": {"file": "test.yaml", "line": 7, "argIndex": 1}, "occurrences": 1}

# invalid(raw, error) is a flag whose value the normalizer could not parse.
invalid(raw, error) := {"raw": raw, "error": error, "origin": {"file": "test.yaml", "line": 7, "argIndex": 1}, "occurrences": 1}
