# Every output of the module, under the same name: `tofu output -json` here prints
# what `wildside-cnpg outputs --json --inputs examples/render/inputs.yaml` prints.

output "app_credentials_secret_name" {
  value = module.cnpg.app_credentials_secret_name
}

output "backup_credentials_secret_name" {
  value = module.cnpg.backup_credentials_secret_name
}

output "backup_enabled" {
  value = module.cnpg.backup_enabled
}

output "cluster_name" {
  value = module.cnpg.cluster_name
}

output "cluster_namespace" {
  value = module.cnpg.cluster_namespace
}

output "database_name" {
  value = module.cnpg.database_name
}

output "database_owner" {
  value = module.cnpg.database_owner
}

output "helm_release_name" {
  value = module.cnpg.helm_release_name
}

output "operator_namespace" {
  value = module.cnpg.operator_namespace
}

output "pooler_ro_endpoint" {
  value = module.cnpg.pooler_ro_endpoint
}

output "pooler_rw_endpoint" {
  value = module.cnpg.pooler_rw_endpoint
}

output "primary_endpoint" {
  value = module.cnpg.primary_endpoint
}

output "primary_service_name" {
  value = module.cnpg.primary_service_name
}

output "read_endpoint" {
  value = module.cnpg.read_endpoint
}

output "read_service_name" {
  value = module.cnpg.read_service_name
}

output "rendered_manifests" {
  value     = module.cnpg.rendered_manifests
  sensitive = true
}

output "replica_endpoint" {
  value = module.cnpg.replica_endpoint
}

output "replica_service_name" {
  value = module.cnpg.replica_service_name
}

output "superuser_credentials_secret_name" {
  value = module.cnpg.superuser_credentials_secret_name
}

output "sync_policy_contract" {
  value = module.cnpg.sync_policy_contract
}
