# Provider requirements of the shared module; the environments pin the same ranges and hold the backend.
terraform {
  required_version = "~> 1.9"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
  }
}
