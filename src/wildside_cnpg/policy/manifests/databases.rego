# CloudNativePG Database resources and the managed roles that own their databases.
# Every rule that relates a Database or a role to its Cluster needs the combined
# view. A tree may hold a thousand Databases and roles: the relations go through
# the joins of lib.rego, never a lookup per document.
package wildside_cnpg

databases := [doc |
	some doc in objects_of_kind("Database")
	startswith(get(doc, "apiVersion", ""), "postgresql.cnpg.io/")
]

# [Role name, Secret name] of a Cluster's managed roles that read a password Secret.
role_secrets(cluster) := [[get(role, "name", ""), name] |
	some role in get(cluster, ["spec", "managed", "roles"], [])
	name := get(role, ["passwordSecret", "name"], null)
	filled(name)
]

# [[namespace, Cluster name], [ref, owner, database name]] of every Database.
_database_clusters := [[[namespace_of(db), get(db, ["spec", "cluster", "name"], "")], [ref(db), get(db, ["spec", "owner"], ""), get(db, ["spec", "name"], "")]] |
	some db in databases
]

# [[namespace, Cluster name], 0] of every Cluster.
_cluster_pairs := [[[namespace_of(cluster), name_of(cluster)], 0] | some cluster in clusters]

# rule R1
deny_r1 contains msg if {
	combined
	some [[namespace, cluster], [database, _, _]] in unmatched(_database_clusters, _cluster_pairs)
	msg := sprintf("%s: spec.cluster.name: Cluster/%s/%s is not in the tree", [database, namespace, cluster])
}

# [[namespace, Cluster name, owner], 0] of the roles a Cluster may own a database
# with: its initdb owner (CNPG's default: the database, itself `app` by default) and
# its managed roles that are present.
_cluster_owners := array.concat(
	[[[namespace_of(cluster), name_of(cluster), owner], 0] |
		some cluster in clusters
		initdb := get(cluster, ["spec", "bootstrap", "initdb"], {})
		owner := get(initdb, "owner", get(initdb, "database", "app"))
	],
	[[[namespace_of(cluster), name_of(cluster), get(role, "name", "")], 0] |
		some cluster in clusters
		some role in get(cluster, ["spec", "managed", "roles"], [])
		get(role, "ensure", "present") == "present"
	],
)

# [[namespace, Cluster name, owner], Database ref] of the Databases whose Cluster is in
# the tree (those without one are R1's).
_placed_databases := [[[cluster[0], cluster[1], facts[1]], facts[0]] |
	some [facts, cluster] in joined(
		[[key, [value[0], value[1], key]] | some [key, value] in _database_clusters],
		[[key, key] | some [key, _] in _cluster_pairs],
	)
]

# rule R2
deny_r2 contains msg if {
	combined
	some [[namespace, cluster, owner], database] in unmatched(_placed_databases, _cluster_owners)
	msg := sprintf("%s: spec.owner: %s is neither the owner Cluster/%s/%s creates at bootstrap nor one of its managed roles (spec.managed.roles), so CloudNativePG cannot create the database", [database, show(owner), namespace, cluster])
}

# One Database object per database of a Cluster: CNPG reconciles the first and marks
# the others failed (conflicting managers).
# rule R3
deny_r3 contains msg if {
	combined
	some [[namespace, cluster, name], refs] in grouped([[[key[0], key[1], value[2]], value[0]] | some [key, value] in _database_clusters])
	count(refs) > 1
	msg := concat("", [
		sprintf("%s: spec.name: %s is also managed by ", [refs[0], show(name)]),
		concat(", ", array.slice(refs, 1, count(refs))),
		"; CloudNativePG reconciles only one Database object per database",
	])
}

# rule R4
warn_r4 contains msg if {
	some db in databases
	get(db, ["spec", "databaseReclaimPolicy"], "retain") == "delete"
	msg := sprintf("%s: spec.databaseReclaimPolicy: delete drops the database and its data when the object is deleted (or Flux prunes it); retain leaves it in PostgreSQL", [ref(db)])
}

# [[namespace, Secret name], [Cluster ref, role]] of every managed role's Secret.
_role_secret_uses := [[[namespace_of(cluster), secret], [ref(cluster), role]] |
	some cluster in clusters
	some [role, secret] in role_secrets(cluster)
]

# rule R5
warn_r5 contains msg if {
	combined
	some [[namespace, secret], [cluster, role]] in unmatched(_role_secret_uses, supplier_keys)
	msg := sprintf("%s: spec.managed.roles: role %s reads Secret %s, which is not in the tree; it must exist in namespace %s with the role's username and password", [cluster, show(role), show(secret), show(namespace)])
}
