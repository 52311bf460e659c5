# The tree: each kustomization.yaml lists every manifest of its directory, and
# nothing that is missing. Needs file paths, which only the combined view has.
package wildside_cnpg

_kustomization_names := {"kustomization.yaml", "kustomization.yml", "Kustomization"}

# Every path of the tree, once (a file with several documents is several entries).
_paths := _distinct(sort([entry.path |
	some entry in input
	is_object(entry)
	is_string(entry.path)
])) if combined

_basename(path) := parts[count(parts) - 1] if parts := split(path, "/")

_dirname(path) := trim_suffix(trim_suffix(path, _basename(path)), "/")

_manifest(path) if endswith(path, ".yaml")

_manifest(path) if endswith(path, ".yml")

_kustomizations := [[entry.path, entry.doc] |
	combined
	some entry in entries
	_basename(entry.path) in _kustomization_names
]

# `dir` joined with a relative `path`, leading ./ and ../ resolved. Most entries
# are a file name of the kustomization's own directory: that case is direct.
resolve(dir, path) := _under(dir, path) if {
	not contains(path, "/")
	not path in {"", ".", ".."}
}

resolve(dir, path) := joined_path if {
	_needs_resolving(path)
	segments := [s | some s in split(path, "/"); s != "."; s != ""]
	ups := _leading_ups(segments)
	base := _segments(dir)
	kept := array.slice(base, 0, count(base) - ups)
	rest := array.slice(segments, ups, count(segments))
	joined_path := concat("/", array.concat(kept, rest))
}

# [kustomization path, field, entry, the tree path it resolves to] of every entry
# each kustomization uses, resolved once.
_listed := [[path, field, entry, resolve(dir, entry)] |
	some [path, kustomization] in _kustomizations
	dir := _dirname(path)
	some [field, entry] in _listed_entries(kustomization)
]

# rule T1
deny_t1 contains msg if {
	combined

	# Every manifest (not itself a kustomization) with each kustomization of its
	# directory, then those pairs where the kustomization does not list the manifest.
	in_directory := joined(
		[[_dirname(file), file] |
			some file in _paths
			_manifest(file)
			not _basename(file) in _kustomization_names
		],
		[[_dirname(path), path] | some [path, _] in _kustomizations],
	)
	some [[path, file], _] in unmatched(
		[[[path, file], 0] | some [file, path] in in_directory],
		[[[path, target], 0] | some [path, _, _, target] in _listed],
	)
	msg := sprintf("%s: resources: does not list %s, a manifest in its directory", [path, _basename(file)])
}

# rule T2
deny_t2 contains msg if {
	combined
	some [_, [path, field, resource]] in unmatched(
		[[target, [path, field, resource]] |
			some [path, field, resource, target] in _listed
			field in ["resources", "components"]
			not contains(resource, "://")
		],
		_present,
	)
	msg := sprintf("%s: %s: lists %s, which is not in the tree", [path, field, resource])
}

_needs_resolving(path) if contains(path, "/")

_needs_resolving(path) if path in {"", ".", ".."}

_under(dir, path) := path if dir == ""

_under(dir, path) := concat("/", [dir, path]) if dir != ""

# [path, 0] of every path of the tree, and of every directory with a kustomization.
_present := array.concat(
	[[path, 0] | some path in _paths],
	[[dir, 0] |
		some path in _paths
		_basename(path) in _kustomization_names
		dir := _dirname(path)
		dir != ""
	],
)

# [field, entry] of the files a kustomization uses: its resources and components,
# and the patch files it applies (those are not manifests to list, but they are
# accounted for).
_listed_entries(kustomization) := array.concat(
	[[field, entry] |
		some field in ["resources", "components", "patchesStrategicMerge", "crds"]
		some entry in get(kustomization, field, [])
		is_string(entry)
	],
	[["patches", entry] |
		some patch in get(kustomization, "patches", [])
		entry := get(patch, "path", null)
		is_string(entry)
	],
)

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
