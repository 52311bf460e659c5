# Flux HelmRelease and its chart sources (HelmRepository, OCIRepository).
package wildside_cnpg

_exact_version := `^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`

helm_releases := [doc |
	some doc in objects_of_kind("HelmRelease")
	startswith(get(doc, "apiVersion", ""), "helm.toolkit.fluxcd.io/")
]

_chart_spec(release) := get(release, ["spec", "chart", "spec"], null)

_chart_ref(release) := get(release, ["spec", "chartRef"], null)

# rule H1
deny_h1 contains msg if {
	some release in helm_releases
	_chart_spec(release) == null
	_chart_ref(release) == null
	msg := sprintf("%s: spec.chart: not set; expected spec.chart.spec (a chart from a HelmRepository) or spec.chartRef (an OCIRepository)", [ref(release)])
}

# rule H2
deny_h2 contains msg if {
	some release in helm_releases
	_chart_spec(release) != null
	_chart_ref(release) != null
	msg := sprintf("%s: spec.chartRef: set together with spec.chart; Flux accepts exactly one of them", [ref(release)])
}

# The chart version: an exact version, never a range or the newest chart.
# rule H3
deny_h3 contains msg if {
	some release in helm_releases
	spec := _chart_spec(release)
	spec != null
	version := get(spec, "version", null)
	not _is_exact_version(version)
	msg := sprintf("%s: spec.chart.spec.version: expected an exact chart version such as 0.29.0 (a range or no version follows the newest chart), got %s", [ref(release), show(version)])
}

_is_exact_version(version) if {
	is_string(version)
	regex.match(_exact_version, version)
}

# sourceRef: kind, name and namespace all written down.
# rule H4
deny_h4 contains msg if {
	some release in helm_releases
	spec := _chart_spec(release)
	spec != null
	some field in ["kind", "name", "namespace"]
	not filled(get(spec, ["sourceRef", field], null))
	msg := sprintf("%s: spec.chart.spec.sourceRef.%s: not set", [ref(release), field])
}

# rule H5
deny_h5 contains msg if {
	some release in helm_releases
	kind := get(_chart_spec(release), ["sourceRef", "kind"], null)
	filled(kind)
	kind != "HelmRepository"
	msg := sprintf("%s: spec.chart.spec.sourceRef.kind: expected HelmRepository (use spec.chartRef for an OCIRepository), got %s", [ref(release), show(kind)])
}

# rule H6
deny_h6 contains msg if {
	some release in helm_releases
	chart_ref := _chart_ref(release)
	chart_ref != null
	some field in ["kind", "name", "namespace"]
	not filled(get(chart_ref, field, null))
	msg := sprintf("%s: spec.chartRef.%s: not set", [ref(release), field])
}

# rule H7
deny_h7 contains msg if {
	some release in helm_releases
	kind := get(_chart_ref(release), "kind", null)
	filled(kind)
	kind != "OCIRepository"
	msg := sprintf("%s: spec.chartRef.kind: expected OCIRepository, got %s", [ref(release), show(kind)])
}

# Combined view only: the source the release names must be in the tree.
# [[kind, namespace, name], [release ref, field]] of every source named.
_release_sources := [[[source.kind, source.namespace, source.name], [ref(release), field]] |
	some release in helm_releases
	some field in ["spec.chart.spec.sourceRef", "spec.chartRef"]
	source := _named_source(release, field)
	is_object(source)
	filled(get(source, "kind", null))
	filled(get(source, "name", null))
	filled(get(source, "namespace", null))
]

_named_source(release, "spec.chart.spec.sourceRef") := get(_chart_spec(release), "sourceRef", null)

_named_source(release, "spec.chartRef") := _chart_ref(release)

# [[kind, namespace, name], 0] of every Flux source object in the tree.
_flux_sources := [[[doc.kind, namespace_of(doc), name_of(doc)], 0] |
	some entry in entries
	doc := entry.doc
	startswith(get(doc, "apiVersion", ""), "source.toolkit.fluxcd.io/")
]

# rule H8
deny_h8 contains msg if {
	combined
	some [[kind, namespace, name], [release, field]] in unmatched(_release_sources, _flux_sources)
	msg := sprintf("%s: %s: %s/%s/%s is not in the tree", [release, field, kind, namespace, name])
}

helm_repositories := [doc |
	some doc in objects_of_kind("HelmRepository")
	startswith(get(doc, "apiVersion", ""), "source.toolkit.fluxcd.io/")
]

oci_repositories := [doc |
	some doc in objects_of_kind("OCIRepository")
	startswith(get(doc, "apiVersion", ""), "source.toolkit.fluxcd.io/")
]

# Charts come over TLS: https:// or oci://; plain http:// is refused.
# rule H9
deny_h9 contains msg if {
	some repository in helm_repositories
	url := get(repository, ["spec", "url"], null)
	not _secure_chart_url(url)
	msg := sprintf("%s: spec.url: expected an https:// or oci:// URL (charts must not be fetched over plain http), got %s", [ref(repository), show(url)])
}

_secure_chart_url(url) if startswith(url, "https://")

_secure_chart_url(url) if startswith(url, "oci://")

# rule H10
deny_h10 contains msg if {
	some repository in helm_repositories
	startswith(get(repository, ["spec", "url"], ""), "oci://")
	type := get(repository, ["spec", "type"], null)
	type != "oci"
	msg := sprintf("%s: spec.type: an oci:// URL needs type: oci, got %s", [ref(repository), show(type)])
}

# rule H11
warn_h11 contains msg if {
	some repository in helm_repositories
	get(repository, ["spec", "type"], null) == "oci"
	msg := sprintf("%s: spec.type: oci HelmRepositories are in maintenance mode in Flux; prefer an OCIRepository with HelmRelease spec.chartRef", [ref(repository)])
}

# rule H12
deny_h12 contains msg if {
	some repository in oci_repositories
	url := get(repository, ["spec", "url"], null)
	not startswith(url, "oci://")
	msg := sprintf("%s: spec.url: expected an oci:// URL, got %s", [ref(repository), show(url)])
}

# An OCIRepository serving a chart pins a tag or a digest, not a semver range.
# rule H13
deny_h13 contains msg if {
	some repository in oci_repositories
	reference := get(repository, ["spec", "ref"], {})
	not filled(get(reference, "digest", null))
	not _is_exact_version(get(reference, "tag", null))
	msg := sprintf("%s: spec.ref: expected an exact tag such as 0.29.0 or a digest, got %s", [ref(repository), _show_oci_ref(reference)])
}

# (Fields read with get: OPA moves an undefined reference out of a negation, so
# `not is_string(x.missing)` would be undefined instead of true.)
_show_oci_ref(reference) := sprintf("tag %s", [show(tag)]) if {
	tag := get(reference, "tag", null)
	is_string(tag)
}

_show_oci_ref(reference) := sprintf("semver %s", [show(semver)]) if {
	not is_string(get(reference, "tag", null))
	semver := get(reference, "semver", null)
	is_string(semver)
}

_show_oci_ref(reference) := "<unset>" if {
	not is_string(get(reference, "tag", null))
	not is_string(get(reference, "semver", null))
}
