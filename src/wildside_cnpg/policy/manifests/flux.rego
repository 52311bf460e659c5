# Day 2 under Flux: what a commit may never delete. Flux prunes an object that leaves
# a Kustomization's inventory, and deletes a whole inventory with its Kustomization,
# unless the object is annotated kustomize.toolkit.fluxcd.io/prune: disabled.
package wildside_cnpg

_prune_annotation := "kustomize.toolkit.fluxcd.io/prune"

# What deleting each kind of object loses.
_stateful := {
	"Namespace": "every database in it",
	"Cluster": "its volumes, and the data on them",
	"ExternalSecret": "the Secret it owns, and the credentials the Cluster reads from it",
	"Certificate": "the renewal of the Secret the instances serve TLS with",
}

_stateful_api(doc) if {
	doc.kind == "Namespace"
	get(doc, "apiVersion", "") == "v1"
}

_stateful_api(doc) if {
	doc.kind == "Cluster"
	startswith(get(doc, "apiVersion", ""), "postgresql.cnpg.io/")
}

_stateful_api(doc) if {
	doc.kind == "ExternalSecret"
	startswith(get(doc, "apiVersion", ""), "external-secrets.io/")
}

_stateful_api(doc) if {
	doc.kind == "Certificate"
	startswith(get(doc, "apiVersion", ""), "cert-manager.io/")
}

# rule F1
deny_f1 contains msg if {
	some entry in entries
	doc := entry.doc
	_stateful_api(doc)
	get(doc, ["metadata", "annotations", _prune_annotation], null) != "disabled"
	msg := sprintf("%s: metadata.annotations: expected %s: disabled, so that Flux never deletes it (and with it %s) when it leaves the tree or its Kustomization is deleted", [ref(doc), _prune_annotation, _stateful[doc.kind]])
}

# Namespaces of Kubernetes and of Flux exist before the tree and outlive it.
_system_namespaces := {"default", "kube-node-lease", "kube-public", "kube-system", "flux-system"}

# rule F2
deny_f2 contains msg if {
	some entry in entries
	doc := entry.doc
	doc.kind == "Namespace"
	get(doc, "apiVersion", "") == "v1"
	name_of(doc) in _system_namespaces
	msg := sprintf("%s: the tree must not create (and so own) a Kubernetes or Flux namespace; use it without a Namespace document", [ref(doc)])
}

# dependsOn without a cycle. A Kustomization waits until each one it names is Ready;
# in a cycle none ever is, and kustomize-controller, which orders the Kustomizations
# of a source by their dependsOn when the source has a new revision, then orders
# none: it reacts to no new commit of that source, for any Kustomization reading it
# (the root included), until each one's interval comes round. One file at a time
# only a Kustomization that names itself is seen; a cycle through several files
# needs the combined view.
_flux_kustomizations := [doc |
	some doc in objects_of_kind("Kustomization")
	startswith(get(doc, "apiVersion", ""), "kustomize.toolkit.fluxcd.io/")
]

_flux_key(doc) := concat("/", [namespace_of(doc), name_of(doc)])

# A dependency without a namespace is in the Kustomization's own.
_dependency_key(doc, dependency) := concat("/", [namespace, dependency.name]) if {
	namespace := get(dependency, "namespace", null)
	filled(namespace)
} else := concat("/", [namespace_of(doc), dependency.name])

# [Kustomization, namespace/name of the one it names] of every dependsOn entry.
_dependencies := [[doc, _dependency_key(doc, dependency)] |
	some doc in _flux_kustomizations
	some dependency in get(doc, ["spec", "dependsOn"], [])
	filled(get(dependency, "name", null))
]

# namespace/name -> the namespace/names it depends on.
_dependency_graph := {key: targets |
	some [key, targets] in grouped([[_flux_key(doc), target] | some [doc, target] in _dependencies])
}

# rule F3
deny_f3 contains msg if {
	some [doc, target] in _dependencies
	_flux_key(doc) in graph.reachable(_dependency_graph, [target])
	msg := sprintf("%s: spec.dependsOn: Kustomization/%s leads back to it (a cycle): the Kustomizations of a cycle never become Ready, and kustomize-controller applies no new commit of their source to any Kustomization reading it until that one's interval", [ref(doc), target])
}
