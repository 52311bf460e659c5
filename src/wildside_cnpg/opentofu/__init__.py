"""The OpenTofu module's generated files and the `external` data source protocol."""
