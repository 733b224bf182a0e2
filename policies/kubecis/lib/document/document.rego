# METADATA
# title: Input document shape
# description: >-
#   Whether an input document is whole, as kubecis writes it. The kubecis host checks every
#   document it judges against the schemas (src/normalizers/documents.ts), and judges parts of
#   a large RbacSnapshot on two threads, so it says so (data.kubecis.options.documents is
#   "checked"); a document given to OPA or conftest directly is checked here, so that a
#   missing index is never read as "nothing granted" (DESIGN decisions 9 and 10).
package kubecis.lib.document

_kinds := data.kubecis.documents.required

# kind is the input's kind, or "" when it has none: input not an object (an array such as
# `kubecis normalize`'s several documents, null, a string), kind absent or not a string. It is
# total, so every membership test and negation on it is true or false, never undefined:
# written on input.kind, `not input.kind in {...}` is undefined when kind is missing
# (open-policy-agent/opa#1877), and a rule that should deny is silently skipped.
kind := k if {
	is_object(input)
	k := input.kind
	is_string(k)
} else := ""

# described names the input in a message, for every shape it may have.
described := concat("", ["document of kind ", kind]) if kind != ""

else := "document without a kind" if is_object(input)

else := concat("", ["array of ", format_int(count(input), 10), " values (conftest and OPA judge one document at a time; `kubecis normalize -o yaml` writes one YAML document each)"]) if is_array(input)

else := concat("", [type_name(input), " value"]) if type_name(input)

else := "absent input"

# problem is why the input document cannot be judged, when it cannot.
problem := concat("", ["its apiVersion is ", json.marshal(object.get(input, "apiVersion", null)), ", not ", data.kubecis.documents.api_version]) if {
	_unchecked
	object.get(input, "apiVersion", null) != data.kubecis.documents.api_version
} else := concat("", ["it lacks ", concat(", ", missing)]) if {
	_unchecked
	missing := [field | some field in _kinds[input.kind]; not _has(field)]
	count(missing) > 0
}

_unchecked if {
	not _checked_by_host
	_kinds[input.kind]
}

_checked_by_host if data.kubecis.options.documents == "checked"

_has(field) if object.get(input, field, null) != null
