# Every API the deployment uses, enabled by Terraform (never disabled on destroy: other things may use them).
locals {
  services = toset([
    "aiplatform.googleapis.com",       # Gemini (Vertex) for document understanding
    "artifactregistry.googleapis.com", # function images
    "cloudbuild.googleapis.com",       # function builds
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "cloudtasks.googleapis.com",
    "compute.googleapis.com", # the edge load balancer and Cloud Armor (edge.tf), the worker's VPC (network.tf)
    "documentai.googleapis.com",
    "eventarc.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",  # signBlob: V4 signed URLs without a key file
    "identitytoolkit.googleapis.com", # Firebase Auth: ID token revocation checks
    "logging.googleapis.com",
    "pubsub.googleapis.com", # Eventarc's transport
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
    "vpcaccess.googleapis.com", # the worker's VPC egress to the internal ClamAV service (network.tf)
  ])
}

resource "google_project_service" "enabled" {
  for_each           = local.services
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
