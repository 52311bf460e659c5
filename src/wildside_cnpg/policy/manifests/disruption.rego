# High availability: PodDisruptionBudgets over a Cluster's instance pods.
#
# Kubernetes' eviction API refuses to evict a pod that more than one budget
# selects, so every node drain would block; and a Cluster with several instances
# needs a budget, or a drain may evict all of them at once. CloudNativePG's
# built-in budgets (enablePDB, on by default) are `<cluster>-primary` over the
# primary and, with three or more instances, `<cluster>` over the replicas.
#
# Every rule here relates a Cluster to the budgets beside it: combined view only.
package wildside_cnpg

pod_disruption_budgets := [doc |
	some doc in objects_of_kind("PodDisruptionBudget")
	startswith(get(doc, "apiVersion", ""), "policy/")
]

_instances(cluster) := get(cluster, ["spec", "instances"], 1)

_builtin_budgets(cluster) := get(cluster, ["spec", "enablePDB"], true) != false

# The labels CloudNativePG puts on an instance pod of each role.
_pod_labels_of(name, role) := {
	"cnpg.io/cluster": name,
	"cnpg.io/instanceRole": role,
	"role": role,
	"cnpg.io/podRole": "instance",
}

# Roles with pods: the primary, and replicas from two instances on.
_roles(cluster) := _roles_of(_instances(cluster))

_roles_of(instances) := {"primary"} if instances < 2

_roles_of(instances) := {"primary", "replica"} if instances >= 2

# The budgets covering a role's pods: tree budgets in the Cluster's namespace whose
# selector matches, plus CloudNativePG's own when they are on.
# [[index in clusters, Cluster ref, role], budget] for every budget over a role's pods.
_budgets_over := array.concat(
	[[[c, cluster_ref, role], budget] |
		some [[budget, selector], [c, cluster_ref, name, instances]] in _budget_candidates
		some role in _roles_of(instances)
		selects(selector, _pod_labels_of(name, role))
	],
	[[[c, ref(cluster), role], budget] |
		some c
		cluster := clusters[c]
		some role in _roles(cluster)
		some budget in _builtin_over(cluster, role)
	],
)

# [[budget ref, selector], [index in clusters, Cluster ref, name, instances]] of every
# budget and Cluster of one namespace whose selector may select the Cluster's pods:
# by the cluster name the selector asks for, or every Cluster of the namespace when
# it asks for none.
_budget_candidates := array.concat(
	joined(
		[[[namespace_of(budget), name], [ref(budget), selector]] |
			some budget in pod_disruption_budgets
			selector := get(budget, ["spec", "selector"], null)
			some name in _selected_clusters(selector)
		],
		[[[namespace_of(cluster), name_of(cluster)], facts] | some [cluster, facts] in _cluster_facts],
	),
	joined(
		[[namespace_of(budget), [ref(budget), selector]] |
			some budget in pod_disruption_budgets
			selector := get(budget, ["spec", "selector"], null)
			count(_selected_clusters(selector)) == 0
		],
		[[namespace_of(cluster), facts] | some [cluster, facts] in _cluster_facts],
	),
)

_cluster_facts := [[cluster, [c, ref(cluster), name_of(cluster), _instances(cluster)]] |
	some c
	cluster := clusters[c]
]

# The cluster names a selector requires (matchLabels, or an In expression); none
# when it does not name one.
_selected_clusters(selector) := [name] if {
	name := get(get(selector, "matchLabels", {}), "cnpg.io/cluster", null)
	name != null
}

_selected_clusters(selector) := names if {
	get(get(selector, "matchLabels", {}), "cnpg.io/cluster", null) == null
	names := [name |
		some expression in get(selector, "matchExpressions", [])
		get(expression, "key", null) == "cnpg.io/cluster"
		get(expression, "operator", null) == "In"
		some name in get(expression, "values", [])
	]
}

_builtin_over(cluster, "primary") := {sprintf("the Cluster's built-in budget %s-primary", [name_of(cluster)])} if _builtin_budgets(cluster)

_builtin_over(cluster, "replica") := {sprintf("the Cluster's built-in budget %s", [name_of(cluster)])} if {
	_builtin_budgets(cluster)
	_instances(cluster) >= 3
}

_builtin_over(cluster, role) := set() if not _builtin_budgets(cluster)

_builtin_over(cluster, "replica") := set() if {
	_builtin_budgets(cluster)
	_instances(cluster) < 3
}

# A label selector (matchLabels and matchExpressions) against a pod's labels; an
# empty selector selects every pod of the namespace, a missing one none.
selects(selector, labels) if {
	is_object(selector)
	every key, value in get(selector, "matchLabels", {}) {
		get(labels, key, null) == value
	}
	every expression in get(selector, "matchExpressions", []) {
		_expression_matches(expression, labels)
	}
}

_expression_matches(expression, labels) if {
	expression.operator == "In"
	key := get(expression, "key", null)
	get(labels, key, null) in get(expression, "values", [])
}

_expression_matches(expression, labels) if {
	expression.operator == "NotIn"
	key := get(expression, "key", null)
	not get(labels, key, null) in get(expression, "values", [])
}

_expression_matches(expression, labels) if {
	expression.operator == "Exists"
	get(expression, "key", null) in object.keys(labels)
}

_expression_matches(expression, labels) if {
	expression.operator == "DoesNotExist"
	key := get(expression, "key", null)
	not key in object.keys(labels)
}

# rule D1
deny_d1 contains msg if {
	combined
	some [[_, cluster, role], budgets] in grouped(_budgets_over)
	count(budgets) > 1
	msg := concat("", [
		sprintf("%s: spec.enablePDB: the %s pods are selected by %d PodDisruptionBudgets (", [cluster, role, count(budgets)]),
		concat(", ", sort(budgets)),
		"); the eviction API refuses to evict a pod under more than one budget, so node drains would block",
	])
}

# Several instances need a budget over the primary, and over the replicas from
# three instances on (CloudNativePG's own rule: one replica may always go).
# rule D2
deny_d2 contains msg if {
	combined
	needed := [[[c, ref(cluster), role], _instances(cluster)] |
		some c
		cluster := clusters[c]
		_instances(cluster) > 1
		some role in _protected_roles(_instances(cluster))
	]
	some [[_, cluster, role], instances] in unmatched(needed, _budgets_over)
	msg := sprintf("%s: spec.enablePDB: false with %d instances and no PodDisruptionBudget in the tree over the %s pods; a node drain may evict them all at once", [cluster, instances, role])
}

_protected_roles(instances) := {"primary"} if instances < 3

_protected_roles(instances) := {"primary", "replica"} if instances >= 3

# The labels CloudNativePG puts on a Pooler's PgBouncer pods (pkg/specs/pgbouncer),
# over those of its pod template.
_pooler_pod_labels(pooler) := object.union(get(pooler, ["spec", "template", "metadata", "labels"], {}), {
	"cnpg.io/poolerName": name_of(pooler),
	"cnpg.io/cluster": get(pooler, ["spec", "cluster", "name"], ""),
	"cnpg.io/podRole": "pooler",
	"app.kubernetes.io/name": "postgresql",
	"app.kubernetes.io/instance": get(pooler, ["spec", "cluster", "name"], ""),
	"app.kubernetes.io/component": "pooler",
	"app.kubernetes.io/managed-by": "cloudnative-pg",
})

_budgets_over_pooler(pooler) := [budget |
	some budget in pod_disruption_budgets
	namespace_of(budget) == namespace_of(pooler)
	selects(get(budget, ["spec", "selector"], null), _pooler_pod_labels(pooler))
]

# rule D3
deny_d3 contains msg if {
	combined
	some pooler in poolers
	budgets := {ref(budget) | some budget in _budgets_over_pooler(pooler)}
	count(budgets) > 1
	msg := concat("", [
		sprintf("%s: its PgBouncer pods are selected by %d PodDisruptionBudgets (", [ref(pooler), count(budgets)]),
		concat(", ", sort(budgets)),
		"); the eviction API refuses to evict a pod under more than one budget, so node drains would block",
	])
}

# A budget that lets none of a Pooler's pods go blocks every drain of their nodes.
_allows_no_eviction(budget, pods) if get(budget, ["spec", "maxUnavailable"], null) == 0

_allows_no_eviction(budget, pods) if {
	minimum := get(budget, ["spec", "minAvailable"], null)
	is_number(minimum)
	minimum >= pods
}

# rule D4
deny_d4 contains msg if {
	combined
	some pooler in poolers
	pods := get(pooler, ["spec", "instances"], 1)
	is_number(pods)
	some budget in _budgets_over_pooler(pooler)
	_allows_no_eviction(budget, pods)
	msg := sprintf("%s: spec: lets none of the %d PgBouncer pods of %s be evicted, so every drain of their nodes blocks; expected maxUnavailable: 1", [ref(budget), pods, ref(pooler)])
}

# A single instance has no budget (one would block every drain of its node, as
# CloudNativePG's docs say), so a drain stops the database: say so.
# rule D5
warn_d5 contains msg if {
	some cluster in clusters
	_instances(cluster) == 1
	not _builtin_budgets(cluster)
	msg := sprintf("%s: spec.instances: 1, so no disruption budget protects it and draining its node stops the database; use two or more instances where that matters", [ref(cluster)])
}
