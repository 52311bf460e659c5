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
# not a set: a set of whole documents is ordered by comparing them, which costs
# regopy quadratic time (two seconds for 200 documents, minutes for 2,000); repeated
# findings collapse anyway in the deny and warn sets.
entries := [{"path": entry.path, "doc": doc} |
	some entry in input
	is_object(entry)
	some doc in _as_list(get(entry, "contents", null))
	is_object(doc)
] if combined

entries := [{"path": "", "doc": input} | is_object(input)] if not combined

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

# Secret names an object in `namespace` supplies in the tree: Secrets, and the
# targets of ExternalSecrets (the target name defaults to the ExternalSecret's).
tree_secret_names(namespace) := {name_of(doc) |
	some doc in objects_of_kind("Secret")
	namespace_of(doc) == namespace
} | {external_secret_target(doc) |
	some doc in objects_of_kind("ExternalSecret")
	namespace_of(doc) == namespace
}

external_secret_target(doc) := get(doc, ["spec", "target", "name"], name_of(doc))

# "namespace/name" of an object, and of every Cluster of the tree (a set: a broken
# tree may hold the same Cluster twice).
cluster_key(doc) := sprintf("%s/%s", [namespace_of(doc), name_of(doc)])

cluster_keys := {cluster_key(cluster) | some cluster in clusters}
