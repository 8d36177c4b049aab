# One service account per function, plus the identities that call the private functions. Each holds only
# what its code uses (shared/service/jobs/*: which function reads, writes, deletes, signs or enqueues).
#
#   api               Firestore; signs upload URLs (uploads) and download URLs (results) through signBlob on
#                     itself; deletes a job's input and results; checks Firebase token revocation.
#   upload-finalized  Firestore; reads, stats and deletes uploads; enqueues conversion tasks.
#   convert-worker    Firestore; reads uploads; writes results; Document AI OCR; Gemini on Vertex AI (analyses
#                     with MDRAFT_ANALYZER=gemini, tidy-up with MDRAFT_LLM_TIDY=on: both run in the worker).
#   cleanup           Firestore; stats and deletes uploads and results; re-enqueues tasks.
#   stripe-webhook    Firestore (users' billing state, applied webhook events). No bucket access.
#   tasks             the identity Cloud Tasks puts in the worker's OIDC token: invokes the worker only.
#   scheduler         the identity Cloud Scheduler puts in cleanup's OIDC token: invokes cleanup only.
#   trigger           Eventarc's identity: receives events and invokes upload-finalized only.
#   build             builds the function images (Cloud Build through Cloud Functions).

locals {
  service_accounts = {
    api       = "MDraft api function"
    upload    = "MDraft onUploadFinalized function"
    worker    = "MDraft convertWorker function"
    cleanup   = "MDraft cleanup function"
    webhook   = "MDraft stripeWebhook function"
    tasks     = "Cloud Tasks OIDC identity invoking convertWorker"
    scheduler = "Cloud Scheduler OIDC identity invoking cleanup"
    trigger   = "Eventarc identity invoking onUploadFinalized"
    build     = "Builds the MDraft function images"
  }
}

resource "google_service_account" "api" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-api"
  display_name = local.service_accounts.api
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "webhook" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-webhook"
  display_name = local.service_accounts.webhook
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "upload" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-upload"
  display_name = local.service_accounts.upload
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "worker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-worker"
  display_name = local.service_accounts.worker
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "cleanup" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-cleanup"
  display_name = local.service_accounts.cleanup
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "tasks" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-tasks"
  display_name = local.service_accounts.tasks
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-sched"
  display_name = local.service_accounts.scheduler
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-trigger"
  display_name = local.service_accounts.trigger
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = local.service_accounts.build
  depends_on   = [google_project_service.enabled]
}

# --- Firestore: every function reads and writes jobs (project-level: Firestore has no per-collection IAM).

resource "google_project_iam_member" "datastore_user" {
  for_each = {
    api     = google_service_account.api.member
    upload  = google_service_account.upload.member
    worker  = google_service_account.worker.member
    cleanup = google_service_account.cleanup.member
    webhook = google_service_account.webhook.member
  }
  project = var.project_id
  role    = "roles/datastore.user"
  member  = each.value
}

# --- Buckets, granted on each bucket (never project-wide).

resource "google_storage_bucket_iam_member" "uploads" {
  for_each = {
    api     = { role = "roles/storage.objectUser", member = google_service_account.api.member }      # signed PUTs run as the signer; purge deletes
    upload  = { role = "roles/storage.objectUser", member = google_service_account.upload.member }   # read, stat, delete bad uploads
    worker  = { role = "roles/storage.objectViewer", member = google_service_account.worker.member } # read the input
    cleanup = { role = "roles/storage.objectUser", member = google_service_account.cleanup.member }  # stat lost uploads, delete expired
  }
  bucket = google_storage_bucket.uploads.name
  role   = each.value.role
  member = each.value.member
}

resource "google_storage_bucket_iam_member" "results" {
  for_each = {
    api     = { role = "roles/storage.objectUser", member = google_service_account.api.member }     # signed GETs run as the signer; purge deletes
    worker  = { role = "roles/storage.objectUser", member = google_service_account.worker.member }  # write (and overwrite on retry) results
    cleanup = { role = "roles/storage.objectUser", member = google_service_account.cleanup.member } # retention purge
  }
  bucket = google_storage_bucket.results.name
  role   = each.value.role
  member = each.value.member
}

# --- Signed URLs without a key file: the api signs through IAM signBlob as itself.

resource "google_service_account_iam_member" "api_signs_as_itself" {
  service_account_id = google_service_account.api.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.api.member
}

# --- Firebase Auth: verifyIdToken(checkRevoked) reads the user record; the admin routes revoke refresh
# tokens and set the `admin` custom claim (firebase-admin revokeRefreshTokens / setCustomUserClaims), which
# need the admin role. Only admins reach those routes (functions/routes/admin.ts).

resource "google_project_iam_member" "api_firebase_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.admin"
  member  = google_service_account.api.member
}

# --- Cloud Tasks: the functions that enqueue (upload-finalized, cleanup) may create tasks on this queue and
# have Cloud Tasks mint OIDC tokens for the tasks account (actAs). Nobody else can.

resource "google_cloud_tasks_queue_iam_member" "enqueuer" {
  for_each = {
    upload  = google_service_account.upload.member
    cleanup = google_service_account.cleanup.member
  }
  project  = var.project_id
  location = google_cloud_tasks_queue.convert.location
  name     = google_cloud_tasks_queue.convert.name
  role     = "roles/cloudtasks.enqueuer"
  member   = each.value
}

resource "google_service_account_iam_member" "enqueuers_act_as_tasks" {
  for_each = {
    upload  = google_service_account.upload.member
    cleanup = google_service_account.cleanup.member
  }
  service_account_id = google_service_account.tasks.name
  role               = "roles/iam.serviceAccountUser"
  member             = each.value
}

# --- Document AI OCR for the worker.

resource "google_project_iam_member" "worker_documentai" {
  project = var.project_id
  role    = "roles/documentai.apiUser"
  member  = google_service_account.worker.member
}

# --- Gemini through Vertex AI for the worker: analyses (`MDRAFT_ANALYZER=gemini`) and the Markdown tidy-up
# (`MDRAFT_LLM_TIDY=on`) both run there (shared/adapters/gcp/gemini-*.ts), calling generateContent in this
# project (MDRAFT_GCP_PROJECT). `roles/aiplatform.user` is the predefined role that allows predictions; Vertex AI
# has no narrower per-model grant. Granted whether or not the engine is switched on, so switching it on is a
# configuration change only (the API is enabled in apis.tf either way); no other account may call Vertex AI.

resource "google_project_iam_member" "worker_vertex_ai" {
  project = var.project_id
  role    = "roles/aiplatform.user"
  member  = google_service_account.worker.member
}

# --- Eventarc: the trigger's identity receives events; the Cloud Storage service agent publishes them.

data "google_storage_project_service_account" "gcs" {
  project    = var.project_id
  depends_on = [google_project_service.enabled]
}

resource "google_project_iam_member" "trigger_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger.member
}

resource "google_project_iam_member" "gcs_agent_pubsub_publisher" {
  project = var.project_id
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

# --- Function builds.

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer"])
  project  = var.project_id
  role     = each.value
  member   = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_reads_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}

# --- Who may invoke which function (Cloud Run IAM on each function's service).

# The api authenticates every request itself (API keys, Firebase ID tokens): public at the IAM level.
resource "google_cloud_run_service_iam_member" "api_public" {
  project  = var.project_id
  location = google_cloudfunctions2_function.api.location
  service  = google_cloudfunctions2_function.api.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Stripe calls the webhook from the internet; the function verifies the Stripe-Signature itself (and does
# nothing else): public at the IAM level, like the api.
resource "google_cloud_run_service_iam_member" "stripe_webhook_public" {
  project  = var.project_id
  location = google_cloudfunctions2_function.stripe_webhook.location
  service  = google_cloudfunctions2_function.stripe_webhook.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Private: only Cloud Tasks' identity.
resource "google_cloud_run_service_iam_member" "worker_invoker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.convert_worker.location
  service  = google_cloudfunctions2_function.convert_worker.name
  role     = "roles/run.invoker"
  member   = google_service_account.tasks.member
}

# Private: only Cloud Scheduler's identity.
resource "google_cloud_run_service_iam_member" "cleanup_invoker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.cleanup.location
  service  = google_cloudfunctions2_function.cleanup.name
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

# Private: only the Eventarc trigger's identity.
resource "google_cloud_run_service_iam_member" "upload_finalized_invoker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.upload_finalized.location
  service  = google_cloudfunctions2_function.upload_finalized.name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger.member
}
