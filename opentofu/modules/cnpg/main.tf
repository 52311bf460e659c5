# The tool computes; OpenTofu composes. Every input goes to `wildside-cnpg opentofu
# external` as one JSON document (local.inputs, in the generated variables.tf), and
# every output comes back JSON-encoded (decoded in the generated outputs.tf). The
# data source only computes: writing the GitOps tree is `wildside-cnpg render --out`.

variable "wildside_cnpg_command" {
  description = "How to run the tool: the program and any leading arguments, e.g. [\"wildside-cnpg\"] (found on PATH), [\"/opt/venv/bin/wildside-cnpg\"] or [\"python3\", \"-m\", \"wildside_cnpg\"]"
  type        = list(string)
  default     = ["wildside-cnpg"]
  nullable    = false

  validation {
    condition     = length(var.wildside_cnpg_command) > 0 && alltrue([for part in var.wildside_cnpg_command : part != ""])
    error_message = "wildside_cnpg_command: expected the program and its leading arguments, none empty"
  }
}

data "external" "cnpg" {
  program = concat(var.wildside_cnpg_command, ["opentofu", "external"])
  query = {
    inputs = jsonencode(local.inputs)
  }
}
