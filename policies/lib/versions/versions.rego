# METADATA
# title: Kubernetes version facts
# description: >-
#   The target's Kubernetes minor version, and comparisons against "MAJOR.MINOR" strings
#   used in data.kubecis (flag removals and versioned defaults).
package lib.versions

# minor is the target's Kubernetes minor (33 for v1.33.2); undefined when the version is unknown.
minor := input.kubernetesVersion.minor if is_number(input.kubernetesVersion.minor)

known if minor

# minor_of("1.24") == 24
minor_of(text) := to_number(split(text, ".")[1])

# at_least(text) holds when the target's version is known and is text or later.
at_least(text) if minor >= minor_of(text)

# target describes the target's version for messages: "1.33" or "an unknown version".
target := concat(".", ["1", format_int(minor, 10)]) if known

target := "an unknown version" if not known
