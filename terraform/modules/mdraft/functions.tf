# The five functions, one per entry point registered in functions/index.ts, all built from the same package
# on nodejs24. Ingress: the event function accepts only Google-internal traffic (Eventarc); the worker and
# cleanup are reachable but private by IAM (iam.tf), because Cloud Tasks and Cloud Scheduler do not reach
# internal-only services. The Stripe webhook is public (Stripe calls it) and authenticates each request by
# its Stripe-Signature.

resource "google_cloudfunctions2_function" "api" {
  project     = var.project_id
  location    = var.region
  name        = local.function_names.api
  description = "MDraft public API (authenticates every request itself)"

  build_config {
    runtime         = "nodejs24"
    entry_point     = "api"
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.api.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    timeout_seconds                  = 60
    min_instance_count               = 0
    max_instance_count               = var.api_max_instances
    max_instance_request_concurrency = 20
    # With the edge load balancer, only it (and so Cloud Armor) may reach the api.
    ingress_settings               = var.edge_domain == null ? "ALLOW_ALL" : "ALLOW_INTERNAL_AND_GCLB"
    all_traffic_on_latest_revision = true
    environment_variables          = local.common_env

    dynamic "secret_environment_variables" {
      for_each = var.wire_secrets ? local.function_secrets.api : []
      content {
        key        = local.secrets[secret_environment_variables.value].env
        project_id = var.project_id
        secret     = google_secret_manager_secret.app[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.datastore_user,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

resource "google_cloudfunctions2_function" "upload_finalized" {
  project     = var.project_id
  location    = var.region
  name        = local.function_names.onUploadFinalized
  description = "MDraft: checks a finalized upload and enqueues its conversion"

  build_config {
    runtime         = "nodejs24"
    entry_point     = "onUploadFinalized"
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.upload.email
    available_memory                 = "1Gi"
    available_cpu                    = "1"
    timeout_seconds                  = 300
    min_instance_count               = 0
    max_instance_count               = 20
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    environment_variables            = local.common_env

    dynamic "secret_environment_variables" {
      for_each = var.wire_secrets ? local.function_secrets.onUploadFinalized : []
      content {
        key        = local.secrets[secret_environment_variables.value].env
        project_id = var.project_id
        secret     = google_secret_manager_secret.app[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  # Eventarc, retried: gen2 retries for up to 24 h and the handler drops events older than
  # MDRAFT_EVENT_MAX_AGE_S. The trigger filters by bucket, hence a bucket dedicated to uploads.
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.storage.object.v1.finalized"
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.trigger.email

    event_filters {
      attribute = "bucket"
      value     = google_storage_bucket.uploads.name
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.datastore_user,
    google_project_iam_member.trigger_event_receiver,
    google_project_iam_member.gcs_agent_pubsub_publisher,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

resource "google_cloudfunctions2_function" "convert_worker" {
  project     = var.project_id
  location    = var.region
  name        = local.function_names.convertWorker
  description = "MDraft conversion worker (private: Cloud Tasks only)"

  build_config {
    runtime         = "nodejs24"
    entry_point     = "convertWorker"
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.worker.email
    available_memory                 = "2Gi"
    available_cpu                    = "1"
    timeout_seconds                  = local.worker_timeout_seconds
    min_instance_count               = 0
    max_instance_count               = var.worker_max_instances
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = local.common_env
    # Through the VPC when the scanner admits internal traffic only (network.tf); the default egress otherwise.
    vpc_connector                 = local.worker_vpc_egress ? google_vpc_access_connector.worker[0].id : null
    vpc_connector_egress_settings = local.worker_vpc_egress ? "ALL_TRAFFIC" : null

    dynamic "secret_environment_variables" {
      for_each = var.wire_secrets ? local.function_secrets.convertWorker : []
      content {
        key        = local.secrets[secret_environment_variables.value].env
        project_id = var.project_id
        secret     = google_secret_manager_secret.app[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.datastore_user,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

resource "google_cloudfunctions2_function" "cleanup" {
  project     = var.project_id
  location    = var.region
  name        = local.function_names.cleanup
  description = "MDraft cleanup (private: Cloud Scheduler only)"

  build_config {
    runtime         = "nodejs24"
    entry_point     = "cleanup"
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.cleanup.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    timeout_seconds                  = 600
    min_instance_count               = 0
    max_instance_count               = 1
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = local.common_env

    dynamic "secret_environment_variables" {
      for_each = var.wire_secrets ? local.function_secrets.cleanup : []
      content {
        key        = local.secrets[secret_environment_variables.value].env
        project_id = var.project_id
        secret     = google_secret_manager_secret.app[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.datastore_user,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

resource "google_cloudfunctions2_function" "stripe_webhook" {
  project     = var.project_id
  location    = var.region
  name        = local.function_names.stripeWebhook
  description = "MDraft Stripe webhook (public; verifies the Stripe-Signature of every event)"

  build_config {
    runtime         = "nodejs24"
    entry_point     = "stripeWebhook"
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.webhook.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    timeout_seconds                  = 30
    min_instance_count               = 0
    max_instance_count               = 5
    max_instance_request_concurrency = 20
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = local.common_env

    dynamic "secret_environment_variables" {
      for_each = var.wire_secrets ? local.function_secrets.stripeWebhook : []
      content {
        key        = local.secrets[secret_environment_variables.value].env
        project_id = var.project_id
        secret     = google_secret_manager_secret.app[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.datastore_user,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}
