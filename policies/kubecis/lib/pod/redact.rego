package kubecis.lib.pod

# Redaction for the Pod manifest adapter (pod.rego).
# Key material is replaced by "REDACTED" in a container's argv before any flag is read, by
# the rules of src/redact.ts (redactArgv), so that lib.pod.documents and every deny, warn and
# report message hold no more than `kubecis normalize` does (DESIGN decision 11): PEM blocks;
# credentials in any URL (user-info up to the last `@`, a token alone, query parameters whose
# name says key material); the whole value of a flag whose name says key material. The secret
# names are src/redact.ts's lists (test/secrets-canary.test.ts keeps them equal).
# Not mirrored: redactArgv joins a PEM block that a process list split into words back into
# one argument; here the words of such a block are each replaced, so argv keeps its length.

# redacted_argv(argv) is argv with its key material replaced, element by element.
redacted_argv(argv) := [_redact_element(argv, i, opened) | some i, _ in argv] if {
	opened := [i | some i, text in argv; _opens_pem(text)]
}

_redact_element(argv, i, opened) := "REDACTED" if _in_open_pem(argv, i, opened)

# The word after a flag without `=` is that flag's value: whole when the flag is secret-named.
else := "REDACTED" if {
	_value_of_flag(argv, i, opened)
	_secret_name(_flag_parts(argv[i - 1])[1])
	not argv[i] in _go_booleans
}

else := _redact_value(argv[i]) if _value_of_flag(argv, i, opened)

else := concat("", [parts[0], "REDACTED"]) if {
	text := _redact_pem(argv[i])
	parts := _flag_parts(text)
	parts[2] != ""
	value := substring(text, count(parts[0]), -1)
	_secret_name(parts[1])
	value != ""
	not value in _go_booleans
}

else := _redact_value(argv[i]) if _flag_parts(_redact_pem(argv[i]))[2] != ""

else := _redact_text(argv[i])

_value_of_flag(argv, i, opened) if {
	i > 0
	_flag_parts(argv[i - 1])[2] == ""
	not startswith(argv[i], "-")
	not _in_open_pem(argv, i - 1, opened)
}

# _flag_parts(text): [the flag and its separator, its name, the separator ("=", a blank or "")].
_flag_parts(text) := regex.find_all_string_submatch_n(`^--?([A-Za-z0-9][^=\s]*)([=\s]?)`, text, 1)[0]

# An argument that continues a PEM block opened, and not closed, by an earlier one: the words
# up to the one holding -----END, never past the next flag.
_in_open_pem(argv, k, opened) if {
	some i in opened
	i < k
	every m in numbers.range(i, k - 1) {
		not contains(argv[m], "-----END")
	}
	every m in numbers.range(i + 1, k) {
		not regex.match(`^--[^-]`, argv[m])
	}
}

_opens_pem(text) if {
	some label in [m[1] | some m in regex.find_all_string_submatch_n(`-----BEGIN ([A-Z0-9 ]*)-----`, text, -1)]
	not contains(text, concat("", ["-----END ", label, "-----"]))
}

_go_booleans := {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}

# --- names (src/redact.ts isSecretName) --------------------------------------------------

secret_names := {"secret", "token", "password", "passwd", "passphrase", "key", "apikey", "privatekey", "clientsecret", "bearertoken", "credential", "credentials", "hmackey"}

secret_suffixes := {"secret", "token", "password", "passwd", "passphrase", "privatekey", "apikey", "secretkey", "accesskey", "keydata", "credential", "credentials"}

_secret_name(name) if _squashed(name) in secret_names

_secret_name(name) if {
	some suffix in secret_suffixes
	endswith(_squashed(name), suffix)
}

_squashed(name) := lower(strings.replace_n({"-": "", "_": "", ".": ""}, name))

# --- PEM blocks (src/redact.ts PEM_BLOCK) ------------------------------------------------

# Each block, from -----BEGIN L----- to -----END L----- or, with no END, to the end of the text.
_redact_pem(text) := text if not contains(text, "-----BEGIN ")

else := concat("", [_pem_token(t) | some t in regex.find_all_string_submatch_n(_pem_pattern(text), text, -1)])

# Tokens that cover the text: a block (of any label the text opens), else one character.
_pem_pattern(text) := concat("", [
	"(?:", concat("|", [concat("", ["-----BEGIN ", label, "-----[\\s\\S]*?(?:-----END ", label, "-----|$)"]) |
		some label in {m[1] | some m in regex.find_all_string_submatch_n(`-----BEGIN ([A-Z0-9 ]*)-----`, text, -1)}
	]),
	")|[\\s\\S]",
])

_pem_token(t) := "REDACTED" if startswith(t[0], "-----BEGIN ")

else := t[0]

# --- URLs (src/redact.ts redactUrlCredentials) -------------------------------------------

# A value: each URL runs from its scheme to the next URL's scheme. Text (a word that is not a
# flag's value): a blank ends it too.
_redact_value(text) := _redact_urls(_redact_pem(text), false)

_redact_text(text) := _redact_urls(_redact_pem(text), true)

# The text is split at each `://`; the one after parts[k] starts a URL when parts[k] ends in a
# scheme (a letter, then letters, digits, +, . or -).
_redact_urls(text, _) := text if not contains(text, "://")

_redact_urls(text, blank_ends) := concat("", array.concat([concat("://", array.slice(parts, 0, starts[0] + 1))], [piece |
	some j, k in starts
	end := _url_end(starts, j, count(parts))
	body := _trim_scheme(concat("://", array.slice(parts, k + 1, end + 1)), starts, j, parts)
	piece := concat("", ["://", _redact_body(body, blank_ends), _next_scheme(starts, j, parts)])
])) if {
	parts := split(text, "://")
	starts := [k | some k in numbers.range(0, count(parts) - 2); _scheme(parts[k]) != ""]
	contains(text, "://")
	count(starts) > 0
}

_redact_urls(text, _) := text if {
	contains(text, "://")
	count([k | some k in numbers.range(0, count(split(text, "://")) - 2); _scheme(split(text, "://")[k]) != ""]) == 0
}

# The last part a URL's body reaches: the part that holds the next URL's scheme, or the last.
_url_end(starts, j, n) := starts[j + 1] if j + 1 < count(starts)

else := n - 1

_trim_scheme(body, starts, j, parts) := substring(body, 0, count(body) - count(_scheme(parts[starts[j + 1]]))) if j + 1 < count(starts)

else := body

_next_scheme(starts, j, parts) := _scheme(parts[starts[j + 1]]) if j + 1 < count(starts)

else := ""

_scheme(part) := m[0][0] if {
	m := regex.find_all_string_submatch_n(`[a-zA-Z][a-zA-Z0-9+.-]*$`, part, 1)
	count(m) > 0
} else := ""

_redact_body(body, true) := concat("", [_redact_userinfo(head), substring(body, count(head), -1)]) if {
	head := regex.find_all_string_submatch_n(`^\S*`, body, 1)[0][0]
}

_redact_body(body, false) := _redact_userinfo(body)

# The user-info ends at the last `@`: `user:REDACTED@` when a `:` comes before it, else
# `REDACTED@` (a token alone); then the query parameters whose name says key material.
_redact_userinfo(body) := _redact_query(body) if not contains(body, "@")

else := concat("", [_userinfo(body, before), _redact_query(pieces[count(pieces) - 1])]) if {
	pieces := split(body, "@")
	before := concat("@", array.slice(pieces, 0, count(pieces) - 1))
}

_userinfo(body, before) := concat("", [substring(body, 0, indexof(body, ":")), ":REDACTED@"]) if {
	indexof(body, ":") != -1
	indexof(body, ":") < count(before)
} else := "REDACTED@"

# Tokens that cover the text: a parameter ([?&;]name=value), else one character.
_redact_query(rest) := rest if not regex.match(`[?&;]`, rest)

else := concat("", [_query_token(t) | some t in regex.find_all_string_submatch_n(`([?&;])([^=&;#?]+)=([^&;#]*)|[\s\S]`, rest, -1)])

_query_token(t) := concat("", [t[1], t[2], "=REDACTED"]) if {
	t[1] != ""
	_secret_name(t[2])
} else := t[0]
