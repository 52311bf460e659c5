# CloudNativePG Cluster: size, storage, bootstrap, image, PostGIS, resources, the
# credentials Secrets it reads and the Services it adds.
package wildside_cnpg

# rule C1
deny_c1 contains msg if {
	some cluster in clusters
	instances := get(cluster, ["spec", "instances"], null)
	not _positive_integer(instances)
	msg := sprintf("%s: spec.instances: expected a whole number > 0, got %s", [ref(cluster), show(instances)])
}

_positive_integer(value) if {
	is_number(value)
	value == floor(value)
	value > 0
}

# rule C2
deny_c2 contains msg if {
	some cluster in clusters
	some field in ["size", "storageClass"]
	not filled(get(cluster, ["spec", "storage", field], null))
	msg := sprintf("%s: spec.storage.%s: not set", [ref(cluster), field])
}

# rule C3
deny_c3 contains msg if {
	some cluster in clusters
	bootstrap := get(cluster, ["spec", "bootstrap"], {})
	count({method | some method in ["initdb", "recovery", "pg_basebackup"]; is_object(get(bootstrap, method, null))}) == 0
	msg := sprintf("%s: spec.bootstrap: not set; expected initdb, recovery or pg_basebackup (the database, its owner and its credentials are decided there)", [ref(cluster)])
}

# The image: pinned by tag or digest, never `latest` or untagged.
_image(cluster) := get(cluster, ["spec", "imageName"], null)

_catalog(cluster) := get(cluster, ["spec", "imageCatalogRef"], null)

# rule C4
deny_c4 contains msg if {
	some cluster in clusters
	not filled(_image(cluster))
	_catalog(cluster) == null
	msg := sprintf("%s: spec.imageName: not set; without it the operator's default image is used and changes with every operator upgrade", [ref(cluster)])
}

# rule C5
deny_c5 contains msg if {
	some cluster in clusters
	image := _image(cluster)
	filled(image)
	not contains(image, "@")
	_image_tag(image) == ""
	msg := sprintf("%s: spec.imageName: expected a pinned tag or digest, got %s (untagged means latest)", [ref(cluster), show(image)])
}

# rule C6
deny_c6 contains msg if {
	some cluster in clusters
	image := _image(cluster)
	filled(image)
	not contains(image, "@")
	_image_tag(image) == "latest"
	msg := sprintf("%s: spec.imageName: expected a pinned tag or digest, got %s (latest moves)", [ref(cluster), show(image)])
}

# The repository part (without tag or digest) and the tag ("" when untagged).
image_repository(image) := repository if {
	name := split(image, "@")[0]
	last := _last_segment(name)
	parts := split(last, ":")
	repository := concat("", [trim_suffix(name, last), parts[0]])
}

_image_tag(image) := tag if {
	last := _last_segment(split(image, "@")[0])
	parts := split(last, ":")
	tag := _tag_of(parts)
}

_tag_of(parts) := parts[1] if count(parts) > 1

_tag_of(parts) := "" if count(parts) == 1

_last_segment(name) := segments[count(segments) - 1] if segments := split(name, "/")

# PostGIS extensions need a PostGIS image (judged by its repository name).
# Lower-cased first (some Rego engines lack the (?i) flag); `[^a-z_]*` skips the
# quotes of a quoted identifier (some engines keep them escaped, as two characters).
_postgis_extension := `create\s+extension\s+(if\s+not\s+exists\s+)?[^a-z_]*(postgis|address_standardizer)`

# rule C7
deny_c7 contains msg if {
	some cluster in clusters
	image := _image(cluster)
	filled(image)
	not contains(_last_segment(image_repository(image)), "postgis")
	some field in ["postInitSQL", "postInitApplicationSQL", "postInitTemplateSQL"]
	statements := get(cluster, ["spec", "bootstrap", "initdb", field], [])
	is_array(statements)
	some statement in statements
	is_string(statement)
	regex.match(_postgis_extension, lower(statement))
	msg := sprintf("%s: spec.bootstrap.initdb.%s: creates a PostGIS extension, but spec.imageName %s is not a PostGIS image", [ref(cluster), field, show(image)])
}

# Requests are what the scheduler places pods by; limits missing is only a warning.
# rule C8
deny_c8 contains msg if {
	some cluster in clusters
	some resource in ["cpu", "memory"]
	value := get(cluster, ["spec", "resources", "requests", resource], null)
	not _quantity(value)
	msg := sprintf("%s: spec.resources.requests.%s: not set", [ref(cluster), resource])
}

# rule C9
warn_c9 contains msg if {
	some cluster in clusters
	some resource in ["cpu", "memory"]
	value := get(cluster, ["spec", "resources", "limits", resource], null)
	not _quantity(value)
	msg := sprintf("%s: spec.resources.limits.%s: not set; one instance may take its whole node", [ref(cluster), resource])
}

_quantity(value) if filled(value)

_quantity(value) if is_number(value)

# CNPG ignores superuserSecret unless superuser access is on.
# rule C10
deny_c10 contains msg if {
	some cluster in clusters
	get(cluster, ["spec", "superuserSecret"], null) != null
	get(cluster, ["spec", "enableSuperuserAccess"], false) != true
	msg := sprintf("%s: spec.superuserSecret: set while spec.enableSuperuserAccess is not true (CloudNativePG ignores the secret then)", [ref(cluster)])
}

# Combined view only: the credentials Secrets a Cluster reads are in the tree (a
# Secret or an ExternalSecret's target) or are the ones CloudNativePG generates.
# [field, Secret name or null, the name CloudNativePG generates in its place]
credential_refs(cluster) := [
	["spec.bootstrap.initdb.secret.name", get(cluster, ["spec", "bootstrap", "initdb", "secret", "name"], null), sprintf("%s-app", [name_of(cluster)])],
	["spec.bootstrap.recovery.secret.name", get(cluster, ["spec", "bootstrap", "recovery", "secret", "name"], null), sprintf("%s-app", [name_of(cluster)])],
	["spec.superuserSecret.name", get(cluster, ["spec", "superuserSecret", "name"], null), sprintf("%s-superuser", [name_of(cluster)])],
]

# [[namespace, Secret name], [Cluster ref, field, the generated name]] of the
# credentials Secrets the Clusters name, other than the ones CloudNativePG generates.
_named_credentials := [[[namespace_of(cluster), secret], [ref(cluster), field, generated]] |
	some cluster in clusters
	some [field, secret, generated] in credential_refs(cluster)
	secret != null
	secret != generated
]

# rule C11
deny_c11 contains msg if {
	combined
	some [[_, secret], [cluster, field, generated]] in unmatched(_named_credentials, supplier_keys)
	msg := sprintf("%s: %s: %s is neither a Secret nor an ExternalSecret target in the tree, nor the %s CloudNativePG generates", [cluster, field, show(secret), generated])
}

# Guaranteed QoS (requests equal to limits for every container) is what CNPG
# recommends: only then does it keep the postmaster's low OOM score, so the OOM killer
# takes a backend before the postmaster (docs/src/resource_management.md).
# units.parse reads these spellings in OPA and in this package's engine alike.
_amount(value) := units.parse(value) if {
	is_string(value)
	regex.match(`^[0-9]+(\.[0-9]+)?(m|k|K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$`, value)
}

_amount(value) := value if is_number(value)

_unequal(resources, resource) if {
	request := get(resources, ["requests", resource], null)
	limit := get(resources, ["limits", resource], null)
	request != null
	_amount(request) != _amount(limit)
}

# rule C12
warn_c12 contains msg if {
	some cluster in clusters
	resources := get(cluster, ["spec", "resources"], {})
	some resource in ["cpu", "memory"]
	_quantity(get(resources, ["limits", resource], null))
	_unequal(resources, resource)
	msg := sprintf("%s: spec.resources.requests.%s: %s differs from the limit %s, so the instance pods are not Guaranteed QoS and the OOM killer may take the postmaster first; set requests equal to limits", [ref(cluster), resource, show(get(resources, ["requests", resource], null)), show(get(resources, ["limits", resource], null))])
}

# Combined view only: the Barman Cloud plugin's sidecar runs in every instance pod,
# with the resources of the ObjectStore that archives WAL.
_archiver_stores(cluster) := [store |
	some plugin in get(cluster, ["spec", "plugins"], [])
	get(plugin, "name", null) == "barman-cloud.cloudnative-pg.io"
	get(plugin, "isWALArchiver", false) == true
	name := get(plugin, ["parameters", "barmanObjectName"], null)
	some store in objects_of_kind("ObjectStore")
	namespace_of(store) == namespace_of(cluster)
	name_of(store) == name
]

# rule C13
warn_c13 contains msg if {
	combined
	some cluster in clusters
	some store in _archiver_stores(cluster)
	resources := get(store, ["spec", "instanceSidecarConfiguration", "resources"], null)
	some resource in ["cpu", "memory"]
	not _quantity(get(resources, ["limits", resource], null))
	msg := sprintf("%s: spec.instanceSidecarConfiguration.resources.limits.%s: not set, so the Barman Cloud plugin's sidecar keeps the pods of %s out of Guaranteed QoS; set its requests equal to its limits", [ref(store), resource, ref(cluster)])
}

# rule C14
warn_c14 contains msg if {
	combined
	some cluster in clusters
	some store in _archiver_stores(cluster)
	resources := get(store, ["spec", "instanceSidecarConfiguration", "resources"], {})
	some resource in ["cpu", "memory"]
	_quantity(get(resources, ["limits", resource], null))
	_unequal(resources, resource)
	msg := sprintf("%s: spec.instanceSidecarConfiguration.resources.requests.%s: %s differs from the limit %s, so the Barman Cloud plugin's sidecar keeps the pods of %s out of Guaranteed QoS; set its requests equal to its limits", [ref(store), resource, show(get(resources, ["requests", resource], null)), show(get(resources, ["limits", resource], null)), ref(cluster)])
}

# CloudNativePG's own default is false: the postgres superuser then has no password
# (only local peer access from the instance, `kubectl cnpg psql`), and CNPG deletes the
# <cluster>-superuser Secret it generated.
# rule C15
warn_c15 contains msg if {
	some cluster in clusters
	get(cluster, ["spec", "enableSuperuserAccess"], false) == true
	msg := sprintf("%s: spec.enableSuperuserAccess: true lets the postgres superuser log in with a password over the network; CloudNativePG's default is false (administer with managed roles, or kubectl cnpg psql)", [ref(cluster)])
}

# CloudNativePG's webhook (validateSynchronousReplicaConfiguration): fewer synchronous
# replicas than instances and listed standby names together.
# rule C16
deny_c16 contains msg if {
	some cluster in clusters
	synchronous := get(cluster, ["spec", "postgresql", "synchronous"], null)
	is_object(synchronous)
	number := get(synchronous, "number", 0)
	is_number(number)
	names := count(get(synchronous, "standbyNamesPre", [])) + count(get(synchronous, "standbyNamesPost", []))
	limit := _instances_of(cluster) + names
	number >= limit
	msg := sprintf("%s: spec.postgresql.synchronous.number: expected less than %d (the instances and the listed standby names), got %v; CloudNativePG's webhook refuses the Cluster", [ref(cluster), limit, number])
}

_instances_of(cluster) := instances if {
	instances := get(cluster, ["spec", "instances"], 1)
	is_number(instances)
}

_instances_of(cluster) := 1 if not is_number(get(cluster, ["spec", "instances"], 1))

# CloudNativePG's webhook (validateEnv, pkg/postgres/environment.go): names it keeps for
# itself, compared upper-cased.
_reserved_env(name) if startswith(upper(name), "CNPG_")

_reserved_env(name) if startswith(upper(name), "PG")

_reserved_env(name) if upper(name) in {"POD_NAME", "NAMESPACE", "CLUSTER_NAME"}

# rule C17
deny_c17 contains msg if {
	some cluster in clusters
	some variable in get(cluster, ["spec", "env"], [])
	name := get(variable, "name", "")
	is_string(name)
	_reserved_env(name)
	msg := sprintf("%s: spec.env: %s is reserved by CloudNativePG (CNPG_*, PG*, POD_NAME, NAMESPACE, CLUSTER_NAME); its webhook refuses the Cluster", [ref(cluster), show(name)])
}

# rule C18
deny_c18 contains msg if {
	some cluster in clusters
	wal := get(cluster, ["spec", "walStorage"], null)
	is_object(wal)
	not filled(get(wal, "size", null))
	get(wal, "pvcTemplate", null) == null
	msg := sprintf("%s: spec.walStorage.size: not set; a WAL volume needs its size (it can grow, never shrink)", [ref(cluster)])
}

# pg_hba lines after CloudNativePG's own: `trust` over the network admits anyone
# who can reach the service as whichever role they name.
_hba_tokens(line) := [token | some token in split(replace(trim_space(line), "\t", " "), " "); token != ""]

_trust_over_network(line) if {
	tokens := _hba_tokens(line)
	startswith(tokens[0], "host")
	"trust" in tokens
}

# rule C19
warn_c19 contains msg if {
	some cluster in clusters
	some line in get(cluster, ["spec", "postgresql", "pg_hba"], [])
	is_string(line)
	_trust_over_network(line)
	msg := sprintf("%s: spec.postgresql.pg_hba: %s admits clients over the network without a password (trust)", [ref(cluster), show(line)])
}

# The Services of spec.managed.services.additional (CloudNativePG 1.30): a LoadBalancer
# without source ranges (open_load_balancer, lib.rego) leaves pg_hba and passwords all
# that stand in front of PostgreSQL.
# rule C20
warn_c20 contains msg if {
	some cluster in clusters
	services := get(cluster, ["spec", "managed", "services", "additional"], [])
	is_array(services)
	some i, service in services
	template := get(service, "serviceTemplate", null)
	open_load_balancer(template)
	msg := sprintf("%s: spec.managed.services.additional[%d] (%s): a LoadBalancer Service without loadBalancerSourceRanges, so any address that can reach the load balancer can reach PostgreSQL; list the client networks in serviceTemplate.spec.loadBalancerSourceRanges", [ref(cluster), i, show(get(template, ["metadata", "name"], null))])
}
