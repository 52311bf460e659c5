terraform {
  # optional() object attributes with defaults, startswith() and strcontains().
  required_version = ">= 1.6.0"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "2.4.0"
    }
  }
}
