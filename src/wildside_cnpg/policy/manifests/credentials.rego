# Credentials: ExternalSecrets, the Secrets CloudNativePG reads, plaintext Secrets.
package wildside_cnpg

# External Secrets Operator's ExternalSecrets, whatever their version.
external_secrets := [doc |
	some doc in objects_of_kind("ExternalSecret")
	startswith(get(doc, "apiVersion", ""), "external-secrets.io/")
]

# rule E1
deny contains msg if {
	some secret in external_secrets
	version := get(secret, "apiVersion", "")
	version != "external-secrets.io/v1"
	msg := sprintf("%s: apiVersion: expected external-secrets.io/v1 (older versions are no longer served), got %s", [ref(secret), show(version)])
}

# rule E2
deny contains msg if {
	some secret in external_secrets
	kind := get(secret, ["spec", "secretStoreRef", "kind"], null)
	not kind in {"ClusterSecretStore", "SecretStore"}
	msg := sprintf("%s: spec.secretStoreRef.kind: expected ClusterSecretStore or SecretStore, got %s", [ref(secret), show(kind)])
}

# rule E3
deny contains msg if {
	some secret in external_secrets
	not filled(get(secret, ["spec", "secretStoreRef", "name"], null))
	msg := sprintf("%s: spec.secretStoreRef.name: not set", [ref(secret)])
}

# Combined view only: every Secret a Cluster reads as app or superuser
# credentials, when the tree supplies it, is kubernetes.io/basic-auth.
_credential_uses contains [cluster, field, secret] if {
	some cluster in clusters
	some [field, secret, _] in credential_refs(cluster)
	filled(secret)
}

# rule E4
deny contains msg if {
	combined
	some [cluster, field, name] in _credential_uses
	some supplied in _suppliers(namespace_of(cluster), name)
	[type_field, type] := _secret_type(supplied)
	type != "kubernetes.io/basic-auth"
	msg := sprintf("%s: %s: %s reads it as %s, so it must be kubernetes.io/basic-auth, got %s", [ref(supplied), type_field, ref(cluster), field, show(type)])
}

_secret_type(doc) := ["type", get(doc, "type", "Opaque")] if doc.kind == "Secret"

_secret_type(doc) := ["spec.target.template.type", get(doc, ["spec", "target", "template", "type"], null)] if doc.kind == "ExternalSecret"

# Combined view only: an ExternalSecret made for a Cluster (labelled
# cnpg.io/cluster) must be read by it; otherwise CloudNativePG generates its own
# credentials and ignores the fetched ones.
# rule E5
deny contains msg if {
	combined
	some secret in external_secrets
	cluster_name := get(secret, ["metadata", "labels", "cnpg.io/cluster"], null)
	some cluster in clusters
	name_of(cluster) == cluster_name
	namespace_of(cluster) == namespace_of(secret)
	target := external_secret_target(secret)
	not target in _cluster_reads(cluster)
	msg := sprintf("%s: spec.target.name: %s reads no Secret %s (not as app, superuser or backup credentials), so the fetched credentials would be ignored", [ref(secret), ref(cluster), show(target)])
}

_cluster_reads(cluster) := {name |
	some [_, name, _] in credential_refs(cluster)
	filled(name)
} | {name |
	some key in ["accessKeyId", "secretAccessKey"]
	name := get(cluster, ["spec", "backup", "barmanObjectStore", "s3Credentials", key, "name"], null)
	filled(name)
} | {name |
	some entry in get(cluster, ["spec", "externalClusters"], [])
	some key in ["accessKeyId", "secretAccessKey"]
	name := get(entry, ["barmanObjectStore", "s3Credentials", key, "name"], null)
	filled(name)
} | _plugin_reads(cluster)

# Through the Barman Cloud plugin: the Secrets of the ObjectStores it names (to
# archive WAL, or to recover from).
_plugin_reads(cluster) := {name |
	some resource in object_store_resources
	namespace_of(resource) == namespace_of(cluster)
	name_of(resource) in (_plugin_store_names(cluster) | _external_store_names(cluster))
	some key in ["accessKeyId", "secretAccessKey"]
	name := get(resource, ["spec", "configuration", "s3Credentials", key, "name"], null)
	filled(name)
}

_external_store_names(cluster) := {name |
	some entry in get(cluster, ["spec", "externalClusters"], [])
	get(entry, ["plugin", "name"], null) == barman_cloud_plugin
	name := get(entry, ["plugin", "parameters", "barmanObjectName"], null)
}

# Plaintext Secrets in Git: refused unless the module's acknowledgement annotation
# is on them, and even then a warning.
plaintext_acknowledgement := "wildside-cnpg.io/plaintext-credentials-acknowledged"

_plaintext_fields(secret) := [field |
	some field in ["data", "stringData"]
	count(get(secret, field, {})) > 0
]

_acknowledged(secret) if get(secret, ["metadata", "annotations", plaintext_acknowledgement], null) == "true"

# rule E6
deny contains msg if {
	some secret in objects_of_kind("Secret")
	some field in _plaintext_fields(secret)
	not _acknowledged(secret)
	msg := sprintf("%s: %s: plaintext credentials in the Git tree; use an ExternalSecret, or acknowledge with the annotation %s: 'true'", [ref(secret), field, plaintext_acknowledgement])
}

# rule E7
warn contains msg if {
	some secret in objects_of_kind("Secret")
	some field in _plaintext_fields(secret)
	_acknowledged(secret)
	msg := sprintf("%s: %s: plaintext credentials in the Git tree (acknowledged by %s); prefer an ExternalSecret", [ref(secret), field, plaintext_acknowledgement])
}
