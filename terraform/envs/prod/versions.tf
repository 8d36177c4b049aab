terraform {
  required_version = "~> 1.9"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
  }

  # State in a GCS bucket created once by hand (terraform/README.md, step 2). Configure it per checkout:
  #   terraform init -backend-config=backend.hcl   (copy backend.hcl.example; bucket and prefix)
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}
