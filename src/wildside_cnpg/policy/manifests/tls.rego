# TLS: a Cluster's spec.certificates, and the cert-manager Certificate that writes its
# server certificate.
package wildside_cnpg

_certificates(cluster) := get(cluster, ["spec", "certificates"], {})

# CloudNativePG's webhook (validateCerts) refuses these combinations.
# rule L1
deny_l1 contains msg if {
	some cluster in clusters
	filled(get(_certificates(cluster), "serverTLSSecret", null))
	not filled(get(_certificates(cluster), "serverCASecret", null))
	msg := sprintf("%s: spec.certificates.serverCASecret: not set while serverTLSSecret is; CloudNativePG refuses a server certificate without the CA that verifies it", [ref(cluster)])
}

# rule L2
deny_l2 contains msg if {
	some cluster in clusters
	filled(get(_certificates(cluster), "serverTLSSecret", null))
	count(get(_certificates(cluster), "serverAltDNSNames", [])) > 0
	msg := sprintf("%s: spec.certificates.serverAltDNSNames: set with serverTLSSecret; CloudNativePG refuses them together (the names belong in the certificate)", [ref(cluster)])
}

# rule L3
deny_l3 contains msg if {
	some cluster in clusters
	filled(get(_certificates(cluster), "replicationTLSSecret", null))
	not filled(get(_certificates(cluster), "clientCASecret", null))
	msg := sprintf("%s: spec.certificates.clientCASecret: not set while replicationTLSSecret is; CloudNativePG refuses a replication certificate without its client CA", [ref(cluster)])
}

cert_manager_certificates := [doc |
	some doc in objects_of_kind("Certificate")
	startswith(get(doc, "apiVersion", ""), "cert-manager.io/")
]

# [cluster, certificate]: the Certificate in the tree writes the Cluster's server
# certificate.
_serving contains [cluster, certificate] if {
	some cluster in clusters
	secret := get(_certificates(cluster), "serverTLSSecret", null)
	filled(secret)
	some certificate in cert_manager_certificates
	namespace_of(certificate) == namespace_of(cluster)
	get(certificate, ["spec", "secretName"], null) == secret
}

# The Services clients reach the Cluster by: CloudNativePG's -rw, -r and -ro (those not
# in spec.managed.services.disabledDefaultServices), the additional Services of
# spec.managed.services, and the Service of each Pooler in front of it.
_services(cluster) := ({sprintf("%s-%s", [name_of(cluster), suffix]) |
	some suffix in ["rw", "r", "ro"]
	not _disabled_service(cluster, suffix)
} | _additional_services(cluster)) | {name_of(pooler) |
	some pooler in poolers
	namespace_of(pooler) == namespace_of(cluster)
	pooler_cluster(pooler) == name_of(cluster)
}

_managed_services(cluster) := get(cluster, ["spec", "managed", "services"], {})

_disabled_service(cluster, suffix) if {
	disabled := get(_managed_services(cluster), "disabledDefaultServices", [])
	is_array(disabled)
	suffix in disabled
}

_additional_services(cluster) := {name |
	additional := get(_managed_services(cluster), "additional", [])
	is_array(additional)
	some service in additional
	name := get(service, ["serviceTemplate", "metadata", "name"], null)
	is_string(name)
}

# Each Service's names that do not depend on the cluster's DNS domain.
_service_names(cluster) := {name |
	some service in _services(cluster)
	some name in [service, sprintf("%s.%s", [service, namespace_of(cluster)]), sprintf("%s.%s.svc", [service, namespace_of(cluster)])]
}

# rule L4
deny_l4 contains msg if {
	combined
	some [cluster, certificate] in _serving
	named := {name | some name in get(certificate, ["spec", "dnsNames"], [])}
	some missing in (_service_names(cluster) - named)
	msg := sprintf("%s: spec.dnsNames: does not name '%s', by which clients of %s reach it; clients that verify the server's name (sslmode=verify-full) would refuse it", [ref(certificate), missing, ref(cluster)])
}

# rule L5
deny_l5 contains msg if {
	combined
	some [cluster, certificate] in _serving
	usages := get(certificate, ["spec", "usages"], null)
	is_array(usages)
	not "server auth" in usages
	msg := sprintf("%s: spec.usages: no 'server auth', but %s serves it and CloudNativePG verifies it for server authentication", [ref(certificate), ref(cluster)])
}
