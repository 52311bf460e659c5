# An application's view of its database, read from the cnpg module's
# sync_policy_contract. It declares only the attributes it uses; OpenTofu drops
# the others when it converts the contract to this type.

variable "application" {
  description = "Name of the application using the database"
  type        = string
}

variable "database" {
  description = "The cnpg module's sync_policy_contract output"
  type = object({
    endpoints = object({
      primary = object({ host = string, port = number })
      replica = object({ host = string, port = number })
    })
    database = object({ name = string, owner = string })
    credentials = object({
      app_secret = object({ name = string, namespace = string })
    })
    backup          = object({ schedule = string, retention_policy = string })
    postgis_enabled = bool
  })
}

output "environment" {
  description = "libpq environment for the application's pods (the password comes from credentials_secret)"
  value = {
    APPLICATION_NAME = var.application
    PGHOST           = var.database.endpoints.primary.host
    PGPORT           = tostring(var.database.endpoints.primary.port)
    PGHOST_READONLY  = var.database.endpoints.replica.host
    PGDATABASE       = var.database.database.name
    PGUSER           = var.database.database.owner
  }

  precondition {
    condition     = var.database.postgis_enabled
    error_message = "${var.application} stores geometries: the database needs postgis_enabled."
  }
}

output "credentials_secret" {
  description = "namespace/name of the Secret holding the application's password"
  value       = "${var.database.credentials.app_secret.namespace}/${var.database.credentials.app_secret.name}"
}

output "backup_schedule" {
  description = "When the database is backed up (null without backups)"
  value       = var.database.backup == null ? null : var.database.backup.schedule
}
