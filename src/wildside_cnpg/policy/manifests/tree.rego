# The tree: each kustomization.yaml lists every manifest of its directory, and
# nothing that is missing. Needs file paths, which only the combined view has.
package wildside_cnpg

_kustomization_names := {"kustomization.yaml", "kustomization.yml", "Kustomization"}

_paths := {entry.path | some entry in input; is_object(entry); is_string(entry.path)} if combined

_basename(path) := parts[count(parts) - 1] if parts := split(path, "/")

_dirname(path) := trim_suffix(trim_suffix(path, _basename(path)), "/")

_manifest(path) if endswith(path, ".yaml")

_manifest(path) if endswith(path, ".yml")

_kustomizations := [[entry.path, entry.doc] |
	combined
	some entry in entries
	_basename(entry.path) in _kustomization_names
]

# `dir` joined with a relative `path`, leading ./ and ../ resolved.
resolve(dir, path) := joined if {
	segments := [s | some s in split(path, "/"); s != "."; s != ""]
	ups := _leading_ups(segments)
	base := _segments(dir)
	kept := array.slice(base, 0, count(base) - ups)
	rest := array.slice(segments, ups, count(segments))
	joined := concat("/", array.concat(kept, rest))
}

# Each entry a kustomization (by its index in _kustomizations) lists, mapped to the
# tree path it resolves to: computed once per kustomization, not once per file of
# its directory (the rules below only look it up).
_resolved[i] := {entry: resolve(_dirname(path), entry) | some entry in _listed_entries(kustomization)} if {
	some i, [path, kustomization] in _kustomizations
}

_listed_paths[i] := {target | some target in resolved} if {
	some i, resolved in _resolved
}

# [directory, path] of every manifest that is not itself a kustomization.
_listable := {[_dirname(file), file] |
	some file in _paths
	_manifest(file)
	not _basename(file) in _kustomization_names
}

# directory -> the set of those manifests in it.
_listable_in := {dir: {file | some [d, file] in _listable; d == dir} | some [dir, _] in _listable}

# rule T1
deny contains msg if {
	some i, [path, _] in _kustomizations
	some file in object.get(_listable_in, _dirname(path), set()) - _listed_paths[i]
	msg := sprintf("%s: resources: does not list %s, a manifest in its directory", [path, _basename(file)])
}

# rule T2
deny contains msg if {
	some i, [path, kustomization] in _kustomizations
	some field in ["resources", "components"]
	some resource in get(kustomization, field, [])
	is_string(resource)
	not contains(resource, "://")
	target := _resolved[i][resource]
	not target in _paths
	not _has_kustomization(target)
	msg := sprintf("%s: %s: lists %s, which is not in the tree", [path, field, resource])
}

# Files a kustomization uses: its resources and components, and the patch files
# it applies (those are not manifests to list, but they are accounted for).
_listed_entries(kustomization) := {entry |
	some field in ["resources", "components", "patchesStrategicMerge", "crds"]
	some entry in get(kustomization, field, [])
	is_string(entry)
} | {entry |
	some patch in get(kustomization, "patches", [])
	entry := get(patch, "path", null)
	is_string(entry)
}

_segments(dir) := [] if dir == ""

_segments(dir) := split(dir, "/") if dir != ""

_leading_ups(segments) := min(others) if {
	others := {i |
		some i in numbers.range(0, count(segments) - 1)
		segments[i] != ".."
	}
	count(others) > 0
}

_leading_ups(segments) := count(segments) if {
	every segment in segments {
		segment == ".."
	}
}

_has_kustomization(dir) if {
	some name in _kustomization_names
	concat("/", [dir, name]) in _paths
}
