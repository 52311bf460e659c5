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
_pod_labels(cluster, role) := {
	"cnpg.io/cluster": name_of(cluster),
	"cnpg.io/instanceRole": role,
	"role": role,
	"cnpg.io/podRole": "instance",
}

# Roles with pods: the primary, and replicas from two instances on.
_roles(cluster) := {"primary"} if _instances(cluster) < 2

_roles(cluster) := {"primary", "replica"} if _instances(cluster) >= 2

# The budgets covering a role's pods: tree budgets in the Cluster's namespace whose
# selector matches, plus CloudNativePG's own when they are on.
budgets_over(cluster, role) := {ref(budget) |
	some budget in pod_disruption_budgets
	namespace_of(budget) == namespace_of(cluster)
	selects(get(budget, ["spec", "selector"], null), _pod_labels(cluster, role))
} | _builtin_over(cluster, role)

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
deny contains msg if {
	combined
	some cluster in clusters
	some role in _roles(cluster)
	budgets := budgets_over(cluster, role)
	count(budgets) > 1
	msg := concat("", [
		sprintf("%s: spec.enablePDB: the %s pods are selected by %d PodDisruptionBudgets (", [ref(cluster), role, count(budgets)]),
		concat(", ", sort(budgets)),
		"); the eviction API refuses to evict a pod under more than one budget, so node drains would block",
	])
}

# Several instances need a budget over the primary, and over the replicas from
# three instances on (CloudNativePG's own rule: one replica may always go).
# rule D2
deny contains msg if {
	combined
	some cluster in clusters
	instances := _instances(cluster)
	instances > 1
	some role in _protected_roles(instances)
	count(budgets_over(cluster, role)) == 0
	msg := sprintf("%s: spec.enablePDB: false with %d instances and no PodDisruptionBudget in the tree over the %s pods; a node drain may evict them all at once", [ref(cluster), instances, role])
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
deny contains msg if {
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
deny contains msg if {
	combined
	some pooler in poolers
	pods := get(pooler, ["spec", "instances"], 1)
	is_number(pods)
	some budget in _budgets_over_pooler(pooler)
	_allows_no_eviction(budget, pods)
	msg := sprintf("%s: spec: lets none of the %d PgBouncer pods of %s be evicted, so every drain of their nodes blocks; expected maxUnavailable: 1", [ref(budget), pods, ref(pooler)])
}
