# Buckets: never public, uniform (IAM only), lifecycle deletion a day after the retention the code applies.

resource "google_storage_bucket" "uploads" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-uploads"
  location                    = var.region # the Eventarc trigger must be in the bucket's region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection

  lifecycle_rule {
    condition {
      age = var.retention_days + 1
    }
    action {
      type = "Delete"
    }
  }

  # Browsers PUT straight to the signed URL with exactly the signed headers (functions/README.md).
  dynamic "cors" {
    for_each = length(var.cors_origins) > 0 ? [1] : []
    content {
      origin          = var.cors_origins
      method          = ["PUT"]
      response_header = ["Content-Type", "x-goog-content-length-range", "x-goog-if-generation-match"]
      max_age_seconds = 3600
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket" "results" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-results"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection

  lifecycle_rule {
    condition {
      age = var.retention_days + 1
    }
    action {
      type = "Delete"
    }
  }

  # Signed download URLs answered to browsers.
  dynamic "cors" {
    for_each = length(var.cors_origins) > 0 ? [1] : []
    content {
      origin          = var.cors_origins
      method          = ["GET"]
      response_header = ["Content-Type", "Content-Disposition"]
      max_age_seconds = 3600
    }
  }

  depends_on = [google_project_service.enabled]
}

# The functions package. Objects are named by content, so a new package means a new object and a redeploy.
resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket_object" "functions_source" {
  bucket = google_storage_bucket.source.name
  name   = "functions/${filemd5(var.function_source_zip)}.zip"
  source = var.function_source_zip
}
