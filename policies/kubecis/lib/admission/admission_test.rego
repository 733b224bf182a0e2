package kubecis.lib.admission_test

import data.kubecis.lib.admission
import data.kubecis.lib.testing

test_default_on_set_follows_version if {
	"PodSecurity" in admission.default_on with input as testing.apiserver_at({}, 23)
	not "PodSecurity" in admission.default_on with input as testing.apiserver_at({}, 22)
	count(admission.default_on) == 0 with input as testing.apiserver_at({}, 9)
	"PodTopologyLabels" in admission.default_on with input as testing.apiserver_at({}, null)
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
