# The values of examples/render/inputs.yaml, through the OpenTofu module: the same
# variable names and shapes as the module this one replaces.
#
#   tofu init && tofu apply
#   wildside-cnpg render --inputs ../../../examples/render/inputs.yaml --out ../gitops   # the tree itself

variable "wildside_cnpg_command" {
  description = "How to run the tool (see the module's README)"
  type        = list(string)
  default     = ["wildside-cnpg"]
}

module "cnpg" {
  source = "../../modules/cnpg"

  wildside_cnpg_command = var.wildside_cnpg_command

  mode              = "render"
  cluster_name      = "wildside-pg"
  cluster_namespace = "databases"
  instances         = 3
  storage_size      = "20Gi"
  storage_class     = "do-block-storage"
  database_name     = "wildside_prod"
  database_owner    = "wildside_user"
  postgresql_parameters = {
    max_connections = "200"
    shared_buffers  = "256MB"
  }
  # Requests equal to limits: Guaranteed QoS, so the OOM killer spares the postmaster.
  resource_requests = {
    cpu    = "2"
    memory = "2Gi"
  }
  resource_limits = {
    cpu    = "2"
    memory = "2Gi"
  }

  # CloudNativePG's secure default: the postgres superuser has no password.
  enable_superuser_access = false

  eso_enabled                   = true
  eso_cluster_secret_store_name = "vault-kv"
  app_credentials_vault_path    = "wildside/postgres/app"

  backup_enabled                = true
  backup_destination_path       = "s3://wildside-backups/postgres"
  backup_endpoint_url           = "https://nyc3.digitaloceanspaces.com"
  backup_credentials_vault_path = "wildside/postgres/backup-s3"
  backup_retention_policy       = "30d"
  backup_schedule               = "0 0 2 * * *"
  wal_compression               = "gzip"
}
