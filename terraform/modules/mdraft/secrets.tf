# Secret Manager holds the Stripe keys and the Sentry DSN. Terraform declares the secrets only; their values
# are added out of band (`gcloud secrets versions add`), so they never appear in Terraform code or state.

locals {
  secrets = {
    stripe_secret_key     = { secret_id = "${var.name_prefix}-stripe-secret-key", env = "STRIPE_SECRET_KEY" }
    stripe_webhook_secret = { secret_id = "${var.name_prefix}-stripe-webhook-secret", env = "STRIPE_WEBHOOK_SECRET" }
    sentry_dsn            = { secret_id = "${var.name_prefix}-sentry-dsn", env = "SENTRY_DSN" }
  }

  # Which function sees which secret: the api creates Checkout and Customer Portal sessions; the worker
  # reports usage to Stripe (meter events) after a job succeeds; the webhook verifies Stripe's signatures;
  # every function reports errors to Sentry.
  function_secrets = {
    api               = ["stripe_secret_key", "sentry_dsn"]
    onUploadFinalized = ["sentry_dsn"]
    convertWorker     = ["stripe_secret_key", "sentry_dsn"]
    cleanup           = ["sentry_dsn"]
    stripeWebhook     = ["stripe_webhook_secret", "sentry_dsn"]
  }

  function_accounts = {
    api               = google_service_account.api.member
    onUploadFinalized = google_service_account.upload.member
    convertWorker     = google_service_account.worker.member
    cleanup           = google_service_account.cleanup.member
    stripeWebhook     = google_service_account.webhook.member
  }

  secret_grants = merge([
    for fn, keys in local.function_secrets : { for k in keys : "${fn}/${k}" => { secret = k, member = local.function_accounts[fn] } }
  ]...)
}

resource "google_secret_manager_secret" "app" {
  for_each  = local.secrets
  project   = var.project_id
  secret_id = each.value.secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = local.secret_grants
  project   = var.project_id
  secret_id = google_secret_manager_secret.app[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value.member
}
