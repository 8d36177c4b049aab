output "api_url" {
  description = "Base URL of the public API (for `npx mdraft submit --api`)."
  value       = google_cloudfunctions2_function.api.service_config[0].uri
}

output "stripe_webhook_url" {
  description = "The endpoint to register in Stripe (Developers → Webhooks); its signing secret goes to the stripe-webhook-secret secret."
  value       = google_cloudfunctions2_function.stripe_webhook.service_config[0].uri
}

output "uploads_bucket" {
  value = google_storage_bucket.uploads.name
}

output "results_bucket" {
  value = google_storage_bucket.results.name
}

output "source_bucket" {
  value = google_storage_bucket.source.name
}

output "worker_url" {
  description = "The convertWorker URL tasks are sent to (also their OIDC audience)."
  value       = local.worker_url
}

output "tasks_queue" {
  value = google_cloud_tasks_queue.convert.id
}

output "documentai_processor" {
  value = google_document_ai_processor.ocr.id
}

output "secret_ids" {
  description = "Secrets to give a value with `gcloud secrets versions add <id> --data-file=-`."
  value       = { for k, s in google_secret_manager_secret.app : k => s.secret_id }
}

output "function_service_accounts" {
  value = {
    api               = google_service_account.api.email
    onUploadFinalized = google_service_account.upload.email
    convertWorker     = google_service_account.worker.email
    cleanup           = google_service_account.cleanup.email
  }
}

output "edge_ip_address" {
  description = "Point edge_domain's A record here (null without edge_domain)."
  value       = var.edge_domain == null ? null : google_compute_global_address.api["api"].address
}
