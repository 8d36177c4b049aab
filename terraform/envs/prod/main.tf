# The prod environment: the shared module with prod's sizes and safety settings.
module "mdraft" {
  source = "../../modules/mdraft"

  project_id          = var.project_id
  region              = var.region
  name_prefix         = "mdraft-prod"
  function_source_zip = abspath(var.function_source_zip)
  cors_origins        = var.cors_origins
  wire_secrets        = var.wire_secrets
  clamav_bridge_image = var.clamav_bridge_image

  firestore_location = var.region
  retention_days     = 30
  # Sized in docs/capacity.md: a million pages a day, bursts of a thousand users.
  worker_max_instances            = 20
  tasks_max_dispatches_per_second = 8
  api_max_instances               = 20
  deletion_protection             = true
  firebase_check_revoked          = true
}
