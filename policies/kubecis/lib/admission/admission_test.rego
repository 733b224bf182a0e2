package kubecis.lib.admission_test

import data.kubecis.lib.admission
import data.kubecis.lib.testing

test_default_on_set_follows_version if {
	"PodSecurity" in admission.default_on with input as testing.apiserver_at({}, 23)
	not "PodSecurity" in admission.default_on with input as testing.apiserver_at({}, 22)

	# before 1.10 the chain was AlwaysAdmit alone; it left the defaults in 1.10
	admission.default_on == {"AlwaysAdmit"} with input as testing.apiserver_at({}, 9)
	not "AlwaysAdmit" in admission.default_on with input as testing.apiserver_at({}, 10)
	"PodTopologyLabels" in admission.default_on with input as testing.apiserver_at({}, null)
	not "AlwaysAdmit" in admission.default_on with input as testing.apiserver_at({}, null)
}

test_effective_set_is_defaults_plus_enabled_minus_disabled if {
	doc := testing.apiserver({"enable-admission-plugins": ["NodeRestriction"], "disable-admission-plugins": ["ServiceAccount"]})
	admission.enabled("NodeRestriction") with input as doc
	admission.enabled("NamespaceLifecycle") with input as doc
	not admission.enabled("ServiceAccount") with input as doc
	admission.source("NamespaceLifecycle") == "on by default in 1.33" with input as doc
	admission.source("ServiceAccount") == "disabled by --disable-admission-plugins" with input as doc
}

test_legacy_admission_control_replaces_defaults if {
	doc := testing.apiserver_at({"admission-control": ["NodeRestriction"]}, 9)
	admission.plugins == {"NodeRestriction"} with input as doc
	admission.source("NamespaceLifecycle") == "not listed in --admission-control (which replaces the default plugins)" with input as doc
}

test_removed_and_added_plugins if {
	admission.removed("PodSecurityPolicy") with input as testing.apiserver_at({}, 25)
	not admission.removed("PodSecurityPolicy") with input as testing.apiserver_at({}, 24)
	admission.missing("DenyServiceExternalIPs") with input as testing.apiserver_at({}, 20)
	not admission.missing("DenyServiceExternalIPs") with input as testing.apiserver_at({}, null)
}

# --- the family helpers -------------------------------------------------------------------

_chain := [{"path": ["t"], "annotations": {"custom": {"id": "TEST-1", "frameworks": {"cis-1.12": ["0"]}}}}]

test_required_passes_fails_or_warns_on_the_exemption if {
	on := admission.required(_chain, "NodeRestriction", "why") with input as testing.apiserver({"enable-admission-plugins": ["NodeRestriction"]})
	on.status == "pass"
	on.evidence.required.parameter == "required-admission-plugins"
	off := admission.required(_chain, "NodeRestriction", "kubelets roam") with input as testing.apiserver({})
	off.status == "fail"
	off.reason == "the NodeRestriction admission plugin is not enabled (not in --enable-admission-plugins and not on by default): kubelets roam"
	exempt := admission.required(_chain, "NodeRestriction", "why") with input as testing.apiserver({})
		with data.kubecis.options.params as {"required-admission-plugins": []}
	exempt.status == "warn"
	endswith(exempt.reason, "; the required-admission-plugins parameter does not require it: review that exemption")
}

test_forbidden_fails_where_it_runs_and_is_not_applicable_where_it_does_not_exist if {
	admission.forbidden(_chain, "AlwaysAdmit", "why").status == "pass" with input as testing.apiserver({})
	r := admission.forbidden(_chain, "AlwaysAdmit", "all in") with input as testing.apiserver({"enable-admission-plugins": ["AlwaysAdmit"]})
	r.status == "fail"
	r.reason == "the AlwaysAdmit admission plugin is enabled by --enable-admission-plugins: all in"
	gone := admission.forbidden(_chain, "PodSecurityPolicy", "why") with input as testing.apiserver_at({}, 25)
	gone.status == "not-applicable"
	startswith(gone.reason, "the PodSecurityPolicy admission plugin was removed in 1.25")
}

# Only a plugin the version decides is judged over the range: the others keep their evidence.
test_judged_over_the_range_only_when_the_version_decides if {
	admission.versioned("NamespaceLifecycle")
	admission.versioned("PodSecurityPolicy")
	admission.versioned("DenyServiceExternalIPs")
	not admission.versioned("NodeRestriction")
	ranged := admission.required(_chain, "NamespaceLifecycle", "why") with input as testing.apiserver_at({}, null)
	ranged.status == "warn"
	ranged.evidence.versions.lowest == 0
	flat := admission.required(_chain, "NodeRestriction", "why") with input as testing.apiserver_at({}, null)
	flat.status == "fail"
	not flat.evidence.versions
}

# A plugin flag naming a plugin the known version does not have stops kube-apiserver: a finding
# of the plugin's own control (as a removed flag), never a quiet not-applicable.
test_named_plugin_the_version_lacks_is_a_finding if {
	r := data.kubecis.checks.apiserver.pod_security_policy_plugin_enabled.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodSecurityPolicy"]}, 25)
	r.status == "fail"
	r.reason == "kube-apiserver 1.25 does not start with PodSecurityPolicy named by --enable-admission-plugins: the plugin was removed in 1.25"
	d := data.kubecis.checks.apiserver.pod_security_policy_plugin_enabled.result with input as testing.apiserver_at({"disable-admission-plugins": ["PodSecurityPolicy"]}, 30)
	d.status == "fail"
	contains(d.reason, "named by --disable-admission-plugins")
	l := data.kubecis.checks.apiserver.pod_security_policy_plugin_enabled.result with input as testing.apiserver_at({"admission-control": ["PodSecurityPolicy"]}, 26)
	contains(l.reason, "named by --admission-control")

	s := data.kubecis.checks.apiserver.security_context_deny_plugin_enabled.result with input as testing.apiserver_at({"enable-admission-plugins": ["SecurityContextDeny"]}, 30)
	s.status == "fail"
	contains(s.reason, "removed in 1.30")

	e := data.kubecis.checks.apiserver.deny_service_external_ips.result with input as testing.apiserver_at({"enable-admission-plugins": ["DenyServiceExternalIPs"]}, 20)
		with data.kubecis.options.profile as "cis-1.20"
	e.status == "fail"
	e.reason == "kube-apiserver 1.20 does not start with DenyServiceExternalIPs named by --enable-admission-plugins: the plugin was added in 1.21"
}

test_unnamed_plugin_the_version_lacks_stays_not_applicable if {
	r := data.kubecis.checks.apiserver.pod_security_policy_plugin_enabled.result with input as testing.apiserver_at({}, 25)
	r.status == "not-applicable"
	s := data.kubecis.checks.apiserver.security_context_deny_plugin_enabled.result with input as testing.apiserver_at({}, 31)
	s.status == "not-applicable"
}

# PodSecurityPolicy named on a version without it restricts nothing: SecurityContextDeny's
# control does not count it.
test_removed_psp_does_not_restrict if {
	r := data.kubecis.checks.apiserver.security_context_deny_plugin_enabled.result with input as testing.apiserver_at({"enable-admission-plugins": ["PodSecurityPolicy"]}, 26)
	r.status == "fail"
}
