/**
 * MDraft on Google Cloud: five Cloud Run functions (gen2) built from one package, the buckets, Firestore,
 * the conversion queue, the cleanup schedule, secrets and a Document AI processor. Each function has its
 * own service account holding only what its code uses (iam.tf).
 */

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # Deployed function names; the entry points are the names functions/index.ts registers.
  function_names = {
    api               = "${var.name_prefix}-api"
    onUploadFinalized = "${var.name_prefix}-upload-finalized"
    convertWorker     = "${var.name_prefix}-convert-worker"
    cleanup           = "${var.name_prefix}-cleanup"
    stripeWebhook     = "${var.name_prefix}-stripe-webhook"
  }

  # The worker's deterministic Cloud Run URL (https://SERVICE-PROJECT_NUMBER.REGION.run.app). Known before
  # the worker exists, so the worker itself can be configured with it (the GCP adapters require
  # MDRAFT_WORKER_URL in every function) without a dependency cycle. It is also the OIDC audience of tasks.
  worker_url = "https://${local.function_names.convertWorker}-${data.google_project.this.number}.${var.region}.run.app"

  # A conversion may run its whole budget; the task's dispatch deadline and the worker's timeout add a margin.
  dispatch_deadline_seconds = var.convert_timeout_seconds + 60
  worker_timeout_seconds    = var.convert_timeout_seconds + 60

  scanner_url = var.clamav_bridge_image == "" ? "" : local.clamav_url

  # Every function builds all the GCP adapters at start (shared/adapters/gcp/index.ts), so each gets the
  # whole configuration. Variable names and meanings: shared/service/config.ts and functions/README.md.
  common_env = {
    MDRAFT_BACKEND                   = "gcp"
    MDRAFT_GCP_PROJECT               = var.project_id
    MDRAFT_UPLOADS_BUCKET            = google_storage_bucket.uploads.name
    MDRAFT_RESULTS_BUCKET            = google_storage_bucket.results.name
    MDRAFT_FIRESTORE_DATABASE        = google_firestore_database.main.name
    MDRAFT_FIRESTORE_PREFIX          = var.firestore_prefix
    MDRAFT_TASKS_QUEUE               = google_cloud_tasks_queue.convert.id
    MDRAFT_TASKS_SERVICE_ACCOUNT     = google_service_account.tasks.email
    MDRAFT_WORKER_URL                = local.worker_url
    MDRAFT_TASKS_AUDIENCE            = local.worker_url
    MDRAFT_QUEUE_DISPATCH_DEADLINE_S = tostring(local.dispatch_deadline_seconds)
    MDRAFT_MAX_ATTEMPTS              = tostring(var.max_attempts)
    MDRAFT_WEBHOOK_MAX_ATTEMPTS      = tostring(var.webhook_max_attempts)
    MDRAFT_RETENTION_DAYS            = tostring(var.retention_days)
    MDRAFT_CONVERT_TIMEOUT_S         = tostring(var.convert_timeout_seconds)
    MDRAFT_CONVERT_WORKERS           = "1"
    MDRAFT_CORS_ORIGINS              = join(",", var.cors_origins)
    MDRAFT_FIREBASE_CHECK_REVOKED    = tostring(var.firebase_check_revoked)
    MDRAFT_LOG_LEVEL                 = var.log_level
    # The ClamAV service (clamav.tf); empty = scanning off.
    MDRAFT_SCANNER_URL = local.scanner_url
    # Reserved for the Document AI OCR adapter (only the worker's account may call the processor).
    MDRAFT_DOCUMENTAI_PROCESSOR = google_document_ai_processor.ocr.id
    # Plans, Checkout and the admin audit log. The URLs and price lookup keys are not secrets (Checkout shows
    # them to the customer); only the Stripe keys are (secrets.tf).
    MDRAFT_PLANS                = var.plans_json
    MDRAFT_BILLING_SUCCESS_URL  = var.billing_success_url
    MDRAFT_BILLING_CANCEL_URL   = var.billing_cancel_url
    MDRAFT_BILLING_GRACE_DAYS   = tostring(var.billing_grace_days)
    MDRAFT_AUDIT_RETENTION_DAYS = tostring(var.audit_retention_days)
  }
}
