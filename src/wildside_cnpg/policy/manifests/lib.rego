# Shared helpers. Every rule reads the documents through `entries`, which accepts
# both shapes conftest produces:
#   conftest test FILE...            input = one document (multi-document files
#                                    are evaluated one document at a time)
#   conftest test --combine FILE...  input = [{"path": ..., "contents": ...}, ...]
# Rules that relate several documents (a Cluster and its budgets, a HelmRelease and
# its source, a Cluster and the Secrets it reads, a kustomization and its directory)
# can only see them in the combined view: they are guarded by `combined` and stay
# silent one file at a time.
package wildside_cnpg

combined if is_array(input)

# {path, doc} for every object document; path is "" one file at a time. An array,
# not a set: see "Joins" below for why the policies keep collections as arrays.
entries := _combined_entries if combined

entries := [{"path": "", "doc": input}] if {
	not combined
	is_object(input)
}

entries := [] if {
	not combined
	not is_object(input)
}

_combined_entries := [{"path": entry.path, "doc": doc} |
	some entry in input
	is_object(entry)
	some doc in _as_list(get(entry, "contents", null))
	is_object(doc)
]

# object.get that tolerates a non-object (a malformed document, a missing section).
get(value, path, fallback) := object.get(value, path, fallback) if is_object(value)

get(value, path, fallback) := fallback if not is_object(value)

_as_list(value) := value if is_array(value)

_as_list(value) := [value] if not is_array(value)

# Every object document, in no particular order (duplicates kept apart by path).
objects_of_kind(kind) := [entry.doc |
	some entry in entries
	entry.doc.kind == kind
]

clusters := [doc |
	some doc in objects_of_kind("Cluster")
	startswith(get(doc, "apiVersion", ""), "postgresql.cnpg.io/")
]

namespace_of(doc) := get(doc, ["metadata", "namespace"], "")

name_of(doc) := get(doc, ["metadata", "name"], "")

# kind/namespace/name, or kind/name for an object without a namespace.
ref(doc) := sprintf("%s/%s/%s", [doc.kind, namespace_of(doc), name_of(doc)]) if namespace_of(doc) != ""

ref(doc) := sprintf("%s/%s", [doc.kind, name_of(doc)]) if namespace_of(doc) == ""

# A value as text for messages (strings quoted, everything else by type or value).
# Messages are built with sprintf over plain strings only, and with concat where a
# part is itself a concat result: engines differ in how sprintf prints those.
show(value) := sprintf("'%s'", [value]) if is_string(value)

show(value) := sprintf("%v", [value]) if is_number(value)

show(value) := "true" if value == true

show(value) := "false" if value == false

show(value) := "<unset>" if is_null(value)

show(value) := sprintf("a %s", [type_name(value)]) if {
	not is_string(value)
	not is_number(value)
	not is_boolean(value)
	not is_null(value)
}

# True when a (string) field is present and not blank.
filled(value) if {
	is_string(value)
	trim_space(value) != ""
}

# A Service template (CloudNativePG's serviceTemplate: metadata and spec) of a
# LoadBalancer without loadBalancerSourceRanges (unset, empty or not a list) and
# without the legacy annotation: the load balancer takes connections from every
# address that reaches it (on a public cloud, the whole Internet). Other Service types
# have no source ranges to set.
open_load_balancer(template) if {
	get(template, ["spec", "type"], null) == "LoadBalancer"
	not _restricted_sources(template)
}

_restricted_sources(template) if {
	ranges := get(template, ["spec", "loadBalancerSourceRanges"], null)
	is_array(ranges)
	count(ranges) > 0
}

# Kubernetes' older spelling, read when the field is empty: a comma-separated list of
# CIDRs (pkg/api/service/annotations.go, AnnotationLoadBalancerSourceRangesKey), which
# the API server validates and cloud providers such as AWS and GCE honour.
_restricted_sources(template) if {
	ranges := get(template, ["metadata", "annotations", "service.beta.kubernetes.io/load-balancer-source-ranges"], null)
	is_string(ranges)
	trim_space(ranges) != ""
}

external_secret_target(doc) := get(doc, ["spec", "target", "name"], name_of(doc))

# Objects that supply a Secret in the tree: Secrets, and ExternalSecrets (whose
# target name defaults to the ExternalSecret's own).
secret_suppliers := array.concat(objects_of_kind("Secret"), objects_of_kind("ExternalSecret"))

# [[namespace, Secret name], [ref, the keys it holds (null: decided in the store),
# [type field, type]]] of every supplier: the key of joins, and what rules read.
supplier_keys := [[[namespace_of(doc), _supplied_name(doc)], [ref(doc), _held_keys(doc), _secret_type(doc)]] |
	some doc in secret_suppliers
]

_supplied_name(doc) := name_of(doc) if doc.kind == "Secret"

_supplied_name(doc) := external_secret_target(doc) if doc.kind == "ExternalSecret"

_held_keys(doc) := array.concat(_keys(get(doc, "data", {})), _keys(get(doc, "stringData", {}))) if doc.kind == "Secret"

# An ExternalSecret's keys: its data[].secretKey, or its template's keys; with
# dataFrom the keys are decided in the store and cannot be known here.
_held_keys(doc) := array.concat(
	[item.secretKey | some item in get(doc, ["spec", "data"], [])],
	_keys(get(doc, ["spec", "target", "template", "data"], {})),
) if {
	doc.kind == "ExternalSecret"
	count(get(doc, ["spec", "dataFrom"], [])) == 0
}

_held_keys(doc) := null if {
	doc.kind == "ExternalSecret"
	not count(get(doc, ["spec", "dataFrom"], [])) == 0
}

_keys(value) := [key | some key in object.keys(value)] if is_object(value)

_keys(value) := [] if not is_object(value)

_secret_type(doc) := ["type", get(doc, "type", "Opaque")] if doc.kind == "Secret"

_secret_type(doc) := ["spec.target.template.type", get(doc, ["spec", "target", "template", "type"], null)] if doc.kind == "ExternalSecret"

# Joins. The in-process engine (rego-cpp) keeps sets and objects as plain lists:
# adding a member compares it with every member already there, `x in y` scans y,
# and even `array[i]` with a variable index scans the array. A rule that looks each
# document's references up among all the others grows with the square of the tree.
# These join two arrays of [key, value] pairs by sorting them together once, so
# that equal keys become neighbours, and reach neighbours with array.slice: the
# cost grows with n log n, plus the pairs found. Keys are strings or arrays of
# strings; values carry what the rules read afterwards (a ref, a few facts), never
# an index to look up, and stay small, because sorting compares whole elements.

# [key, 0, value] of `right` and [key, 1, value] of `left`, sorted: within a key,
# the right-hand elements come first.
_tagged(left, right) := sort(array.concat(
	[[key, 0, value] | some [key, value] in right],
	[[key, 1, value] | some [key, value] in left],
))

# [start, end] of each run of equal keys in a sorted array of [key, ...] elements.
_runs(sorted) := [array.slice(bounds, j, j + 2) |
	count(sorted) > 0
	bounds := array.concat(array.concat([0], _key_changes(sorted)), [count(sorted)])
	some j in numbers.range(0, count(bounds) - 2)
]

# The indexes where a sorted array's key differs from the one before.
_key_changes(sorted) := [i |
	count(sorted) > 1
	some i in numbers.range(1, count(sorted) - 1)
	neighbours := array.slice(sorted, i - 1, i + 1)
	neighbours[0][0] != neighbours[1][0]
]

# [key, value] of every left pair whose key no right pair has.
unmatched(left, right) := [[element[0], element[2]] |
	sorted := _tagged(left, right)
	some bounds in _runs(sorted)
	run := array.slice(sorted, bounds[0], bounds[1])
	run[0][1] == 1
	some element in run
]

# [left value, right value] of every left and right pair with equal keys.
joined(left, right) := [[element[2], right_value] |
	sorted := _tagged(left, right)
	some bounds in _runs(sorted)
	run := array.slice(sorted, bounds[0], bounds[1])
	run[0][1] == 0
	right_values := [other[2] | some other in run; other[1] == 0]
	some element in run
	element[1] == 1
	some right_value in right_values
]

# [key, its distinct values, sorted] of [key, value] pairs.
grouped(pairs) := [[run[0][0], _distinct([pair[1] | some pair in run])] |
	sorted := sort(pairs)
	some bounds in _runs(sorted)
	run := array.slice(sorted, bounds[0], bounds[1])
]

# The distinct elements of a sorted array.
_distinct(sorted) := array.concat(array.slice(sorted, 0, 1), [neighbours[1] |
	count(sorted) > 1
	some i in numbers.range(1, count(sorted) - 1)
	neighbours := array.slice(sorted, i - 1, i + 1)
	neighbours[0] != neighbours[1]
])
