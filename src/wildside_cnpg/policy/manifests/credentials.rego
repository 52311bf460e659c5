# Credentials: ExternalSecrets, the Secrets CloudNativePG reads, plaintext Secrets.
package wildside_cnpg

# External Secrets Operator's ExternalSecrets, whatever their version.
external_secrets := [doc |
	some doc in objects_of_kind("ExternalSecret")
	startswith(get(doc, "apiVersion", ""), "external-secrets.io/")
]

# rule E1
deny_e1 contains msg if {
	some secret in external_secrets
	version := get(secret, "apiVersion", "")
	version != "external-secrets.io/v1"
	msg := sprintf("%s: apiVersion: expected external-secrets.io/v1 (older versions are no longer served), got %s", [ref(secret), show(version)])
}

# rule E2
deny_e2 contains msg if {
	some secret in external_secrets
	kind := get(secret, ["spec", "secretStoreRef", "kind"], null)
	not kind in {"ClusterSecretStore", "SecretStore"}
	msg := sprintf("%s: spec.secretStoreRef.kind: expected ClusterSecretStore or SecretStore, got %s", [ref(secret), show(kind)])
}

# rule E3
deny_e3 contains msg if {
	some secret in external_secrets
	not filled(get(secret, ["spec", "secretStoreRef", "name"], null))
	msg := sprintf("%s: spec.secretStoreRef.name: not set", [ref(secret)])
}

# Combined view only: every Secret a Cluster reads as app or superuser
# credentials, when the tree supplies it, is kubernetes.io/basic-auth.
# [[namespace, Secret name], [Cluster ref, field]]
# The password Secrets of managed roles too (CNPG reads username and password, and
# the username must be the role's).
_credential_uses := array.concat(
	[[[namespace_of(cluster), secret], [ref(cluster), field]] |
		some cluster in clusters
		some [field, secret, _] in credential_refs(cluster)
		filled(secret)
	],
	[[[namespace_of(cluster), secret], [ref(cluster), "spec.managed.roles.passwordSecret.name"]] |
		some cluster in clusters
		some [_, secret] in role_secrets(cluster)
	],
)

# rule E4
deny_e4 contains msg if {
	combined
	some [[cluster, field], [supplier, _, [type_field, type]]] in joined(_credential_uses, supplier_keys)
	type != "kubernetes.io/basic-auth"
	msg := sprintf("%s: %s: %s reads it as %s, so it must be kubernetes.io/basic-auth, got %s", [supplier, type_field, cluster, field, show(type)])
}

# Combined view only: an ExternalSecret made for a Cluster (labelled
# cnpg.io/cluster) must be read by it; otherwise CloudNativePG generates its own
# credentials and ignores the fetched ones.
# [[namespace, Cluster name], [ref, target]] of the labelled ExternalSecrets.
_labelled_external_secrets := [[[namespace_of(secret), cluster_name], [ref(secret), external_secret_target(secret)]] |
	some secret in external_secrets
	cluster_name := get(secret, ["metadata", "labels", "cnpg.io/cluster"], null)
]

# [[namespace, name], [index in clusters, ref]] of every Cluster.
_cluster_names := [[[namespace_of(cluster), name_of(cluster)], [i, ref(cluster)]] |
	some i
	cluster := clusters[i]
]

# rule E5
deny_e5 contains msg if {
	combined
	reads := [[[cluster[0], secret[1]], [secret[0], cluster[1], secret[1]]] |
		some [secret, cluster] in joined(_labelled_external_secrets, _cluster_names)
	]
	some [_, [secret, cluster, target]] in unmatched(reads, _cluster_reads)
	msg := sprintf("%s: spec.target.name: %s reads no Secret %s (not as app, superuser, managed role or backup credentials), so the fetched credentials would be ignored", [secret, cluster, show(target)])
}

# [[index in clusters, Secret name], 0] of every Secret a Cluster reads: its
# credentials, its in-tree S3 keys (to archive, or to recover from), and through the
# Barman Cloud plugin the S3 keys of the ObjectStores it names (to archive WAL, or
# to recover from).
_cluster_reads := array.concat(
	array.concat(
		array.concat(
			array.concat(
				[[[i, name], 0] |
					some i
					cluster := clusters[i]
					some [_, name, _] in credential_refs(cluster)
					filled(name)
				],
				[[[i, name], 0] |
					some i
					cluster := clusters[i]
					some key in ["accessKeyId", "secretAccessKey"]
					name := get(cluster, ["spec", "backup", "barmanObjectStore", "s3Credentials", key, "name"], null)
					filled(name)
				],
			),
			[[[i, name], 0] |
				some i
				cluster := clusters[i]
				some entry in get(cluster, ["spec", "externalClusters"], [])
				some key in ["accessKeyId", "secretAccessKey"]
				name := get(entry, ["barmanObjectStore", "s3Credentials", key, "name"], null)
				filled(name)
			],
		),
		[[[cluster[0], name], 0] |
			some [cluster, names] in joined(array.concat(plugin_store_refs, _external_store_refs), object_store_keys)
			some name in names
		],
	),
	# The password Secrets of its managed roles.
	[[[i, name], 0] |
		some i
		cluster := clusters[i]
		some [_, name] in role_secrets(cluster)
	],
)

# [[namespace, ObjectStore name], [index in clusters, Cluster ref]] of every ObjectStore
# a Cluster recovers from through the plugin (spec.externalClusters[].plugin).
_external_store_refs := [[[namespace_of(cluster), name], [i, ref(cluster)]] |
	some i
	cluster := clusters[i]
	some entry in get(cluster, ["spec", "externalClusters"], [])
	get(entry, ["plugin", "name"], null) == barman_cloud_plugin
	name := get(entry, ["plugin", "parameters", "barmanObjectName"], null)
]

# Plaintext Secrets in Git: refused unless the module's acknowledgement annotation
# is on them, and even then a warning.
plaintext_acknowledgement := "wildside-cnpg.io/plaintext-credentials-acknowledged"

_plaintext_fields(secret) := [field |
	some field in ["data", "stringData"]
	count(get(secret, field, {})) > 0
]

_acknowledged(secret) if get(secret, ["metadata", "annotations", plaintext_acknowledgement], null) == "true"

# rule E6
deny_e6 contains msg if {
	some secret in objects_of_kind("Secret")
	some field in _plaintext_fields(secret)
	not _acknowledged(secret)
	msg := sprintf("%s: %s: plaintext credentials in the Git tree; use an ExternalSecret, or acknowledge with the annotation %s: 'true'", [ref(secret), field, plaintext_acknowledgement])
}

# rule E7
warn_e7 contains msg if {
	some secret in objects_of_kind("Secret")
	some field in _plaintext_fields(secret)
	_acknowledged(secret)
	msg := sprintf("%s: %s: plaintext credentials in the Git tree (acknowledged by %s); prefer an ExternalSecret", [ref(secret), field, plaintext_acknowledgement])
}
