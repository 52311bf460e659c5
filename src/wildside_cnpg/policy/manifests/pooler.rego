# PgBouncer Poolers (postgresql.cnpg.io Pooler): the cluster each one serves, and the
# Service that exposes it.
package wildside_cnpg

poolers := [doc |
	some doc in objects_of_kind("Pooler")
	startswith(get(doc, "apiVersion", ""), "postgresql.cnpg.io/")
]

pooler_cluster(pooler) := get(pooler, ["spec", "cluster", "name"], null)

# rule P1
deny_p1 contains msg if {
	some pooler in poolers
	not filled(pooler_cluster(pooler))
	msg := sprintf("%s: spec.cluster.name: not set; expected the Cluster the pooler serves", [ref(pooler)])
}

# CloudNativePG's webhook refuses a Pooler named like its Cluster.
# rule P2
deny_p2 contains msg if {
	some pooler in poolers
	name_of(pooler) == pooler_cluster(pooler)
	msg := sprintf("%s: metadata.name: the same as spec.cluster.name; CloudNativePG refuses a Pooler named like its Cluster", [ref(pooler)])
}

_served_cluster(pooler) := [cluster |
	some cluster in clusters
	name_of(cluster) == pooler_cluster(pooler)
	namespace_of(cluster) == namespace_of(pooler)
]

# rule P3
deny_p3 contains msg if {
	combined
	some pooler in poolers
	filled(pooler_cluster(pooler))
	count(_served_cluster(pooler)) == 0
	msg := sprintf("%s: spec.cluster.name: Cluster/%s/%s is not in the tree", [ref(pooler), namespace_of(pooler), pooler_cluster(pooler)])
}

# A read-only pooler in front of one instance: the -ro service has no endpoints.
# rule P4
deny_p4 contains msg if {
	combined
	some pooler in poolers
	get(pooler, ["spec", "type"], "rw") == "ro"
	some cluster in _served_cluster(pooler)
	instances := get(cluster, ["spec", "instances"], 1)
	is_number(instances)
	instances < 2
	msg := sprintf("%s: spec.type: ro in front of %s with 1 instance, whose -ro service has no endpoints, so every connection through it fails", [ref(pooler), ref(cluster)])
}

# The Service CloudNativePG makes from spec.serviceTemplate: a LoadBalancer without
# source ranges (open_load_balancer, lib.rego) lets every address that reaches it talk
# to PgBouncer, which passes the connections on to PostgreSQL.
# rule P5
warn_p5 contains msg if {
	some pooler in poolers
	open_load_balancer(get(pooler, ["spec", "serviceTemplate"], null))
	msg := sprintf("%s: spec.serviceTemplate: a LoadBalancer Service without loadBalancerSourceRanges, so any address that can reach the load balancer can reach PgBouncer and through it PostgreSQL; list the client networks in spec.serviceTemplate.spec.loadBalancerSourceRanges", [ref(pooler)])
}
