output "api_url" {
  value = module.mdraft.api_url
}

output "uploads_bucket" {
  value = module.mdraft.uploads_bucket
}

output "results_bucket" {
  value = module.mdraft.results_bucket
}

output "secret_ids" {
  value = module.mdraft.secret_ids
}

output "worker_url" {
  value = module.mdraft.worker_url
}
