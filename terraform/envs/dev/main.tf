# The dev environment: the shared module with dev's sizes and safety settings.
module "mdraft" {
  source = "../../modules/mdraft"

  project_id          = var.project_id
  region              = var.region
  name_prefix         = "mdraft-dev"
  function_source_zip = abspath(var.function_source_zip)
  cors_origins        = var.cors_origins
  wire_secrets        = var.wire_secrets
  clamav_bridge_image = var.clamav_bridge_image

  firestore_location     = var.region
  retention_days         = 7
  worker_max_instances   = 3
  deletion_protection    = false
  firebase_check_revoked = false
}
