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
