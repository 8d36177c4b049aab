# Cloud Scheduler calls the private cleanup function with an OIDC token of the scheduler account.
resource "google_cloud_scheduler_job" "cleanup" {
  project          = var.project_id
  region           = var.region
  name             = "${var.name_prefix}-cleanup"
  description      = "MDraft retention, expired uploads, lost workers and lost tasks"
  schedule         = var.cleanup_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "600s"

  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.cleanup.service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.cleanup.service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_service_iam_member.cleanup_invoker]
}
