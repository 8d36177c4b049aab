# The conversion queue. Tasks are created by upload-finalized and cleanup with an OIDC token for the tasks
# account (shared/adapters/gcp/cloud-tasks-queue.ts); the queue itself sets retries and rates.
resource "google_cloud_tasks_queue" "convert" {
  project  = var.project_id
  name     = "${var.name_prefix}-convert"
  location = var.region

  rate_limits {
    # Conversions call Document AI (about 600 online requests per minute per project): start fewer.
    max_dispatches_per_second = var.tasks_max_dispatches_per_second
    max_concurrent_dispatches = var.worker_max_instances
  }

  retry_config {
    max_attempts  = var.max_attempts # = MDRAFT_MAX_ATTEMPTS: the worker fails the job on the last one
    min_backoff   = "10s"
    max_backoff   = "300s"
    max_doublings = 4
  }

  stackdriver_logging_config {
    sampling_ratio = 1.0
  }

  depends_on = [google_project_service.enabled]
}
