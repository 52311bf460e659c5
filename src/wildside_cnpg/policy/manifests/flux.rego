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
