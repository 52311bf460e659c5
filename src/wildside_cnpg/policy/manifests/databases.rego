# CloudNativePG Database resources and the managed roles that own their databases.
# Every rule that relates a Database to its Cluster needs the combined view.
package wildside_cnpg

databases := [doc |
	some doc in objects_of_kind("Database")
	startswith(get(doc, "apiVersion", ""), "postgresql.cnpg.io/")
]

# "namespace/name" of a Database's Cluster.
_database_cluster(db) := sprintf("%s/%s", [namespace_of(db), get(db, ["spec", "cluster", "name"], "")])

# Computed once per tree (regopy does not memoise functions): the roles each Cluster
# may own a database with: its initdb owner and its managed roles that are present.
_owners(cluster) := {owner |
	some owner in array.concat(
		[get(cluster, ["spec", "bootstrap", "initdb", "owner"], get(cluster, ["spec", "bootstrap", "initdb", "database"], "app"))],
		[get(role, "name", "") | some role in get(cluster, ["spec", "managed", "roles"], []); get(role, "ensure", "present") == "present"],
	)
}

_owners_by_cluster := {key: owners |
	some key in cluster_keys
	owners := {owner | some cluster in clusters; cluster_key(cluster) == key; some owner in _owners(cluster)}
}

# rule R1
deny contains msg if {
	combined
	some db in databases
	not _database_cluster(db) in cluster_keys
	msg := sprintf("%s: spec.cluster.name: Cluster/%s is not in the tree", [ref(db), _database_cluster(db)])
}

# rule R2
deny contains msg if {
	combined
	some db in databases
	owners := _owners_by_cluster[_database_cluster(db)]
	owner := get(db, ["spec", "owner"], "")
	not owner in owners
	msg := sprintf("%s: spec.owner: %s is neither the owner Cluster/%s creates at bootstrap nor one of its managed roles (spec.managed.roles), so CloudNativePG cannot create the database", [ref(db), show(owner), _database_cluster(db)])
}

# One Database object per database of a Cluster: CloudNativePG reconciles the first
# and marks the others failed. The keys are compared as a list and a set first, so a
# tree without repeats pays one pass.
_database_key(db) := sprintf("%s/%s", [_database_cluster(db), get(db, ["spec", "name"], "")])

_database_keys := [_database_key(db) | some db in databases]

_repeated_keys := {key |
	some i, j
	key := _database_keys[i]
	_database_keys[j] == key
	i < j
} if count(_database_keys) != count({key | some key in _database_keys})

# rule R3
deny contains msg if {
	combined
	count(_database_keys) != count({key | some key in _database_keys})
	some key in _repeated_keys
	refs := sort([ref(db) | some db in databases; _database_key(db) == key])
	msg := concat("", [
		sprintf("%s: spec.name: %s is also managed by ", [refs[0], show(split(key, "/")[2])]),
		concat(", ", array.slice(refs, 1, count(refs))),
		"; CloudNativePG reconciles only one Database object per database",
	])
}

# rule R4
warn contains msg if {
	some db in databases
	get(db, ["spec", "databaseReclaimPolicy"], "retain") == "delete"
	msg := sprintf("%s: spec.databaseReclaimPolicy: delete drops the database and its data when the object is deleted (or Flux prunes it); retain leaves it in PostgreSQL", [ref(db)])
}

# Secrets a Cluster's managed roles read their passwords from, when given.
role_secrets(cluster) := [[get(role, "name", ""), name] |
	some role in get(cluster, ["spec", "managed", "roles"], [])
	name := get(role, ["passwordSecret", "name"], null)
	filled(name)
]

_tree_secrets_by_namespace := {namespace: tree_secret_names(namespace) | some namespace in {namespace_of(c) | some c in clusters}}

# rule R5
warn contains msg if {
	combined
	some cluster in clusters
	secrets := role_secrets(cluster)
	missing := {secret | some [_, secret] in secrets} - _tree_secrets_by_namespace[namespace_of(cluster)]
	some [role, secret] in secrets
	secret in missing
	msg := sprintf("%s: spec.managed.roles: role %s reads Secret %s, which is not in the tree; it must exist in namespace %s with the role's username and password", [ref(cluster), show(role), show(secret), show(namespace_of(cluster))])
}
