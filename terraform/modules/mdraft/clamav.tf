# Malware scanning: ClamAV on Cloud Run. Cloud Run routes only HTTP, so the service is two containers:
#   bridge  (ingress, :8080) MDraft's scan bridge (functions/clamav-bridge.ts): POST /scan streams the body to
#           clamd with INSTREAM and answers the verdict as JSON. Image: var.clamav_bridge_image, built from
#           docker/clamav-bridge.Dockerfile (terraform/README.md).
#   clamd   (sidecar, 127.0.0.1:3310) the public ClamAV image (var.clamav_image). It ships with a signature
#           database and runs freshclam as a daemon (FRESHCLAM_CHECKS times a day), so signatures stay current
#           while an instance lives; CPU stays allocated (cpu_idle = false) and one instance is kept warm so
#           the updates run and no scan waits for a cold signature load.
# The worker calls it with an ID token of its own account (the only invoker) at MDRAFT_SCANNER_URL.
# Off (nothing deployed, MDRAFT_SCANNER_URL empty, scanning off with a logged notice) while
# var.clamav_bridge_image is "".

locals {
  clamav_enabled = var.clamav_bridge_image != ""
  clamav_name    = "${var.name_prefix}-clamav"
  # Deterministic like the worker's URL (https://SERVICE-PROJECT_NUMBER.REGION.run.app): every function's
  # configuration can name it without a dependency on the service.
  clamav_url = "https://${local.clamav_name}-${data.google_project.this.number}.${var.region}.run.app"
}

resource "google_service_account" "clamav" {
  count        = local.clamav_enabled ? 1 : 0
  project      = var.project_id
  account_id   = "${var.name_prefix}-clamav"
  display_name = "MDraft ClamAV scanning service"
  depends_on   = [google_project_service.enabled]
}

resource "google_cloud_run_v2_service" "clamav" {
  count               = local.clamav_enabled ? 1 : 0
  project             = var.project_id
  location            = var.region
  name                = local.clamav_name
  description         = "MDraft malware scanning: scan bridge + clamd sidecar (private: the worker only)"
  ingress             = var.clamav_ingress
  deletion_protection = false

  template {
    service_account                  = google_service_account.clamav[0].email
    max_instance_request_concurrency = 4
    timeout                          = "300s"

    scaling {
      min_instance_count = var.clamav_min_instances
      max_instance_count = var.clamav_max_instances
    }

    containers {
      name       = "bridge"
      image      = var.clamav_bridge_image
      depends_on = ["clamd"]
      ports {
        container_port = 8080
      }
      env {
        name  = "MDRAFT_CLAMD_HOST"
        value = "127.0.0.1"
      }
      env {
        name  = "MDRAFT_CLAMD_PORT"
        value = "3310"
      }
      env {
        name  = "MDRAFT_SCAN_MAX_MB"
        value = tostring(var.clamav_stream_max_mb)
      }
      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
      }
    }

    containers {
      name  = "clamd"
      image = var.clamav_image
      env {
        name  = "FRESHCLAM_CHECKS"
        value = tostring(var.clamav_freshclam_checks_per_day)
      }
      resources {
        cpu_idle = false
        limits = {
          cpu    = "2"
          memory = "4Gi"
        }
      }
      # clamd answers only once its signatures are loaded (tens of seconds).
      startup_probe {
        initial_delay_seconds = 20
        period_seconds        = 10
        timeout_seconds       = 5
        failure_threshold     = 30
        tcp_socket {
          port = 3310
        }
      }
    }
  }

  depends_on = [google_project_service.enabled]
}

# Private: only the worker's account may scan.
resource "google_cloud_run_v2_service_iam_member" "worker_scans" {
  count    = local.clamav_enabled ? 1 : 0
  project  = var.project_id
  location = google_cloud_run_v2_service.clamav[0].location
  name     = google_cloud_run_v2_service.clamav[0].name
  role     = "roles/run.invoker"
  member   = google_service_account.worker.member
}
