# A downstream composition: the database module's sync_policy_contract feeds an
# application's module, as other modules read module.cnpg.sync_policy_contract
# with the module this one replaces.

variable "wildside_cnpg_command" {
  description = "How to run the tool (see the module's README)"
  type        = list(string)
  default     = ["wildside-cnpg"]
}

module "cnpg" {
  source = "../../modules/cnpg"

  wildside_cnpg_command = var.wildside_cnpg_command

  cluster_name                      = "orders-pg"
  cluster_namespace                 = "orders"
  database_name                     = "orders"
  database_owner                    = "orders_app"
  enable_superuser_access           = false
  backup_enabled                    = true
  backup_destination_path           = "s3://orders-backups/pg"
  backup_endpoint_url               = "https://fra1.digitaloceanspaces.com"
  backup_s3_credentials_secret_name = "orders-s3"
}

module "orders_database" {
  source = "./modules/app-database"

  application = "orders-api"
  database    = module.cnpg.sync_policy_contract
}

output "orders_environment" {
  value = module.orders_database.environment
}

output "orders_credentials_secret" {
  value = module.orders_database.credentials_secret
}

output "orders_backup_schedule" {
  value = module.orders_database.backup_schedule
}
