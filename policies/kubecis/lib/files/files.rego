# METADATA
# title: Files referenced by kube-apiserver flags
# description: >-
#   The content of a file that a flag points at (input.files[flag], filled by the
#   normalizer): read and parsed, not given to kubecis (judge it by hand: warn), or given
#   but missing, unreadable or invalid (the check cannot judge it: error).
# schemas:
#   - input: schema["apiserverconfig.schema"]
package kubecis.lib.files

# state(flag) is "read", "not-given", or the file's failed status (missing, unreadable, invalid).
state(flag) := input.files[flag].status if input.files[flag]

state(flag) := "not-given" if not input.files[flag]

# content(flag) is the parsed document; undefined unless the file was read.
content(flag) := input.files[flag].content if input.files[flag].status == "read"

# evidence(flag) describes the file without its content (which may hold key material).
evidence(flag) := object.filter(input.files[flag], {"path", "status", "error"}) if input.files[flag]

evidence(flag) := {"status": "not-given"} if not input.files[flag]

# not_given_reason(flag, path, what) explains a warn: the file exists on the node but not here.
not_given_reason(flag, path, what) := concat("", [
	"--", flag, "=", path, " was not given to kubecis: provide the file to judge ", what,
])

# failed_reason(flag) explains an error for a file that was given but could not be used.
failed_reason(flag) := concat("", [
	"--", flag, "=", input.files[flag].path, " is ", input.files[flag].status,
	_suffix(object.get(input.files[flag], "error", "")),
])

_suffix("") := ""

_suffix(text) := concat("", [": ", text]) if text != ""
