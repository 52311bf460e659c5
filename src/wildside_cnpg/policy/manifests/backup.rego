# Backups: the Barman object store settings (in-tree on the Cluster, or in a Barman
# Cloud plugin ObjectStore), retention, and the ScheduledBackup.
package wildside_cnpg

object_store_resources := [doc |
	some doc in objects_of_kind("ObjectStore")
	startswith(get(doc, "apiVersion", ""), "barmancloud.cnpg.io/")
]

# [owner, field path, settings]: the same schema in both places.
object_stores := array.concat(
	[[cluster, "spec.backup.barmanObjectStore", store] |
		some cluster in clusters
		store := get(cluster, ["spec", "backup", "barmanObjectStore"], null)
		is_object(store)
	],
	array.concat(
		[[resource, "spec.configuration", store] |
			some resource in object_store_resources
			store := get(resource, ["spec", "configuration"], null)
			is_object(store)
		],
		# The recovery source of a Cluster read by in-tree Barman: the same schema.
		[[cluster, sprintf("spec.externalClusters[%d].barmanObjectStore", [i]), store] |
			some cluster in clusters
			entries := get(cluster, ["spec", "externalClusters"], [])
			some i
			entry := entries[i]
			store := get(entry, "barmanObjectStore", null)
			is_object(store)
		],
	),
)

# rule B1
deny_b1 contains msg if {
	some [owner, path, store] in object_stores
	not filled(get(store, "destinationPath", null))
	msg := sprintf("%s: %s.destinationPath: not set; expected the object store destination such as s3://bucket/path", [ref(owner), path])
}

# rule B2
deny_b2 contains msg if {
	some [owner, path, store] in object_stores
	url := get(store, "endpointURL", null)
	is_string(url)
	not startswith(url, "https://")
	msg := sprintf("%s: %s.endpointURL: expected an https:// URL (backups and keys would cross the network in clear), got %s", [ref(owner), path, show(url)])
}

# S3 credentials: both keys referenced by Secret name and key, unless the pods
# inherit an IAM role.
_s3_keys := ["accessKeyId", "secretAccessKey"]

s3_stores := [[owner, path, store] |
	some [owner, path, store] in object_stores
	startswith(get(store, "destinationPath", ""), "s3://")
	get(store, ["s3Credentials", "inheritFromIAMRole"], false) != true
]

# [[namespace, Secret name], [owner ref, field path, key, the key in the Secret,
# Secret name]] of the Secrets the S3 stores read.
_store_secret_refs := [[[namespace_of(owner), secret], [ref(owner), path, key, get(store, ["s3Credentials", key, "key"], null), secret]] |
	some [owner, path, store] in s3_stores
	some key in _s3_keys
	secret := get(store, ["s3Credentials", key, "name"], null)
	filled(secret)
]

# rule B3
deny_b3 contains msg if {
	some [owner, path, store] in s3_stores
	some key in _s3_keys
	some field in ["name", "key"]
	not filled(get(store, ["s3Credentials", key, field], null))
	msg := sprintf("%s: %s.s3Credentials.%s.%s: not set", [ref(owner), path, key, field])
}

# Combined view only: a credentials Secret that the tree supplies must hold the key.
# rule B4
deny_b4 contains msg if {
	combined
	some [[owner, path, key, secret_key, secret], [supplier, held, _]] in joined(_store_secret_refs, supplier_keys)
	filled(secret_key)
	held != null
	not secret_key in held
	msg := sprintf("%s: %s.s3Credentials.%s: %s supplies Secret %s without the key %s", [owner, path, key, supplier, show(secret), show(secret_key)])
}

# Combined view only: a credentials Secret the tree does not supply cannot be
# checked here (an existing Secret managed elsewhere is a valid choice): warn.
# rule B5
warn_b5 contains msg if {
	combined
	some [[namespace, secret], [owner, path, _, _, _]] in unmatched(_store_secret_refs, supplier_keys)
	msg := sprintf("%s: %s.s3Credentials: Secret %s is not in the tree; it must exist in namespace %s before the first backup", [owner, path, show(secret), show(namespace)])
}

_retention := `^[1-9][0-9]*[dwm]$`

# [owner, field, value] of every retention policy.
_retention_policies := array.concat(
	[[cluster, "spec.backup.retentionPolicy", policy] |
		some cluster in clusters
		policy := get(cluster, ["spec", "backup", "retentionPolicy"], null)
		policy != null
	],
	[[resource, "spec.retentionPolicy", policy] |
		some resource in object_store_resources
		policy := get(resource, ["spec", "retentionPolicy"], null)
		policy != null
	],
)

# rule B6
deny_b6 contains msg if {
	some [owner, field, policy] in _retention_policies
	not _matches(_retention, policy)
	msg := sprintf("%s: %s: expected ^[1-9][0-9]*[dwm]$ such as 30d, 4w or 3m, got %s", [ref(owner), field, show(policy)])
}

_matches(pattern, value) if {
	is_string(value)
	regex.match(pattern, value)
}

_compressions := {
	"wal": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"],
	"data": ["bzip2", "gzip", "lz4", "snappy"],
}

# rule B7
deny_b7 contains msg if {
	some [owner, path, store] in object_stores
	some part, allowed in _compressions
	compression := get(store, [part, "compression"], null)
	compression != null
	not compression in allowed
	msg := concat("", [
		sprintf("%s: %s.%s.compression: expected one of ", [ref(owner), path, part]),
		concat(", ", allowed),
		sprintf(", got %s", [show(compression)]),
	])
}

scheduled_backups := [doc |
	some doc in objects_of_kind("ScheduledBackup")
	startswith(get(doc, "apiVersion", ""), "postgresql.cnpg.io/")
]

_descriptors := {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

_fields(schedule) := [field | some field in split(trim_space(schedule), " "); field != ""]

_valid_schedule(schedule) if schedule in _descriptors

_valid_schedule(schedule) if regex.match(`^@every [0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h)([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))*$`, schedule)

_valid_schedule(schedule) if {
	not startswith(schedule, "@")
	count(_fields(schedule)) == 6
}

# rule B8
deny_b8 contains msg if {
	some backup in scheduled_backups
	schedule := get(backup, ["spec", "schedule"], null)
	not is_string(schedule)
	msg := sprintf("%s: spec.schedule: not set; expected six cron fields, seconds first, such as 0 0 0 * * * (daily at midnight)", [ref(backup)])
}

# A five-field (Kubernetes-style) schedule is read with seconds first.
# rule B9
deny_b9 contains msg if {
	some backup in scheduled_backups
	schedule := get(backup, ["spec", "schedule"], null)
	is_string(schedule)
	fields := _fields(schedule)
	count(fields) == 5
	msg := sprintf("%s: spec.schedule: %s has five fields, but CloudNativePG reads six with seconds first, so it would run at second %s, minute %s, hour %s, day of month %s, month %s (not at minute %s, hour %s); write %s", [ref(backup), show(schedule), fields[0], fields[1], fields[2], fields[3], fields[4], fields[0], fields[1], show(sprintf("0 %s", [trim_space(schedule)]))])
}

# rule B10
deny_b10 contains msg if {
	some backup in scheduled_backups
	schedule := get(backup, ["spec", "schedule"], null)
	is_string(schedule)
	count(_fields(schedule)) != 5
	not _valid_schedule(schedule)
	msg := sprintf("%s: spec.schedule: expected six cron fields, seconds first (such as 0 0 0 * * *), or a descriptor such as @daily, got %s", [ref(backup), show(schedule)])
}

# rule B11
deny_b11 contains msg if {
	some backup in scheduled_backups
	not filled(get(backup, ["spec", "cluster", "name"], null))
	msg := sprintf("%s: spec.cluster.name: not set", [ref(backup)])
}

# Combined view only: the Cluster it backs up is in the tree, and is configured for
# the backup method it asks for.
# [[namespace, Cluster name], [backup ref, method, the plugin it asks for]]
_backup_targets := [[[namespace_of(backup), name], [ref(backup), get(backup, ["spec", "method"], "barmanObjectStore"), get(backup, ["spec", "pluginConfiguration", "name"], null)]] |
	some backup in scheduled_backups
	name := get(backup, ["spec", "cluster", "name"], null)
	filled(name)
]

# [[namespace, name], [ref, the backup methods it is configured for]] of every Cluster.
_backup_clusters := [[[namespace_of(cluster), name_of(cluster)], [ref(cluster), _backup_methods(cluster)]] |
	some cluster in clusters
]

_backup_methods(cluster) := array.concat(
	[method |
		some [method, field] in [["barmanObjectStore", "barmanObjectStore"], ["volumeSnapshot", "volumeSnapshot"]]
		is_object(get(cluster, ["spec", "backup", field], null))
	],
	[["plugin", plugin.name] | some plugin in get(cluster, ["spec", "plugins"], []); is_object(plugin)],
)

# rule B12
deny_b12 contains msg if {
	combined
	some [[namespace, name], [backup, _, _]] in unmatched(_backup_targets, _backup_clusters)
	msg := sprintf("%s: spec.cluster.name: Cluster/%s/%s is not in the tree", [backup, namespace, name])
}

# rule B13
deny_b13 contains msg if {
	combined
	some [[backup, method, plugin], [cluster, methods]] in joined(_backup_targets, _backup_clusters)
	not _configured_for(methods, method, plugin)
	msg := sprintf("%s: spec.method: %s, but %s has no %s", [backup, method, cluster, _method_needs(method)])
}

_configured_for(methods, "plugin", plugin) if ["plugin", plugin] in methods

_configured_for(methods, method, _) if {
	method != "plugin"
	method in methods
}

_method_needs(method) := "spec.backup.barmanObjectStore" if method == "barmanObjectStore"

_method_needs(method) := "spec.backup.volumeSnapshot" if method == "volumeSnapshot"

_method_needs(method) := "plugin in spec.plugins named by spec.pluginConfiguration.name" if method == "plugin"

_method_needs(method) := "such backup method (expected barmanObjectStore, volumeSnapshot or plugin)" if not method in {"barmanObjectStore", "volumeSnapshot", "plugin"}

# The Barman Cloud plugin on a Cluster: the ObjectStore it names is in the tree
# (combined view only), and it is not combined with in-tree Barman.
barman_cloud_plugin := "barman-cloud.cloudnative-pg.io"

# [[namespace, ObjectStore name], [index in clusters, Cluster ref]] of the stores the
# Clusters' Barman Cloud plugin entries name.
plugin_store_refs := [[[namespace_of(cluster), name], [i, ref(cluster)]] |
	some i
	cluster := clusters[i]
	some plugin in get(cluster, ["spec", "plugins"], [])
	get(plugin, "name", null) == barman_cloud_plugin
	name := get(plugin, ["parameters", "barmanObjectName"], null)
]

# [[namespace, name], the Secret names its S3 credentials read] of every ObjectStore.
object_store_keys := [[[namespace_of(resource), name_of(resource)], _object_store_secrets(resource)] |
	some resource in object_store_resources
]

_object_store_secrets(resource) := [name |
	some key in ["accessKeyId", "secretAccessKey"]
	name := get(resource, ["spec", "configuration", "s3Credentials", key, "name"], null)
	filled(name)
]

# rule B14
deny_b14 contains msg if {
	combined
	some [[namespace, name], [_, cluster]] in unmatched(plugin_store_refs, object_store_keys)
	msg := sprintf("%s: spec.plugins: %s names ObjectStore %s, which is not in the tree (namespace %s)", [cluster, barman_cloud_plugin, show(name), show(namespace)])
}

# rule B15
deny_b15 contains msg if {
	some cluster in clusters
	is_object(get(cluster, ["spec", "backup", "barmanObjectStore"], null))
	some plugin in get(cluster, ["spec", "plugins"], [])
	get(plugin, "isWALArchiver", false) == true
	msg := sprintf("%s: spec.plugins: plugin %s archives WAL while spec.backup.barmanObjectStore is set; CloudNativePG accepts only one WAL archiver", [ref(cluster), show(get(plugin, "name", null))])
}

# In-tree Barman Cloud (backups, or recovery from an object store) is deprecated since
# CloudNativePG 1.26 and removed in 1.31: an operator upgrade would stop its backups.
# rule B16
warn_b16 contains msg if {
	some [owner, path, _] in object_stores
	owner.kind == "Cluster"
	msg := sprintf("%s: %s: in-tree Barman Cloud is removed in CloudNativePG 1.31 (the 1.30 release notes); move to the Barman Cloud plugin (an ObjectStore, and spec.plugins or an externalClusters plugin entry) before upgrading the operator", [ref(owner), path])
}

# bootstrap.recovery.source names an externalClusters entry (CNPG's webhook refuses
# the Cluster otherwise).
_recovery_source(cluster) := get(cluster, ["spec", "bootstrap", "recovery", "source"], null)

# rule B17
deny_b17 contains msg if {
	some cluster in clusters
	source := _recovery_source(cluster)
	filled(source)
	count([entry | some entry in get(cluster, ["spec", "externalClusters"], []); get(entry, "name", null) == source]) == 0
	msg := sprintf("%s: spec.bootstrap.recovery.source: %s is not an entry of spec.externalClusters", [ref(cluster), show(source)])
}

_recovery_targets := ["targetTime", "targetLSN", "targetXID", "targetName", "targetImmediate"]

_targets_of(cluster) := [field |
	target := get(cluster, ["spec", "bootstrap", "recovery", "recoveryTarget"], {})
	some field in _recovery_targets
	get(target, field, null) != null
]

# rule B18
deny_b18 contains msg if {
	some cluster in clusters
	targets := _targets_of(cluster)
	count(targets) > 1
	msg := concat("", [
		sprintf("%s: spec.bootstrap.recovery.recoveryTarget: at most one of targetTime, targetLSN, targetXID, targetName and targetImmediate, got ", [ref(cluster)]),
		concat(", ", targets),
	])
}

# CNPG finds the base backup for a time or LSN target by itself; for the others the
# webhook wants the backup named.
# rule B19
deny_b19 contains msg if {
	some cluster in clusters
	some field in _targets_of(cluster)
	field in {"targetXID", "targetName", "targetImmediate"}
	not filled(get(cluster, ["spec", "bootstrap", "recovery", "recoveryTarget", "backupID"], null))
	msg := sprintf("%s: spec.bootstrap.recovery.recoveryTarget.backupID: not set; a %s target needs the base backup named", [ref(cluster), field])
}

# Combined view only: an externalClusters plugin entry of Barman Cloud reads an
# ObjectStore of the tree.
# [[namespace, ObjectStore name], [Cluster ref, entry index]] of the externalClusters
# plugin entries of Barman Cloud.
external_plugin_store_refs := [[[namespace_of(cluster), name], [ref(cluster), i]] |
	some cluster in clusters
	entries := get(cluster, ["spec", "externalClusters"], [])
	some i
	entry := entries[i]
	get(entry, ["plugin", "name"], null) == barman_cloud_plugin
	name := get(entry, ["plugin", "parameters", "barmanObjectName"], null)
]

# rule B20
deny_b20 contains msg if {
	combined
	some [[namespace, name], [cluster, i]] in unmatched(external_plugin_store_refs, object_store_keys)
	msg := sprintf("%s: spec.externalClusters[%d].plugin: %s names ObjectStore %s, which is not in the tree (namespace %s)", [cluster, i, barman_cloud_plugin, show(name), show(namespace)])
}

# The ObjectStore's CRD refuses a server name there: it is the plugin's parameter.
# rule B21
deny_b21 contains msg if {
	some resource in object_store_resources
	get(resource, ["spec", "configuration", "serverName"], null) != null
	msg := sprintf("%s: spec.configuration.serverName: set; the server name is the plugin's serverName parameter on the Cluster (spec.plugins or spec.externalClusters)", [ref(resource)])
}
