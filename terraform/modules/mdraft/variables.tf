variable "project_id" {
  description = "The Google Cloud project to deploy into."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id."
  }
}

variable "region" {
  description = "Region of the functions, buckets, queue, scheduler job and Eventarc trigger (the trigger must be in the uploads bucket's location)."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (e.g. mdraft-dev). Short, because service account ids are at most 30 characters."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,17}$", var.name_prefix))
    error_message = "name_prefix must be 3-18 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "function_source_zip" {
  description = "Path of the functions package built by `npm run package:functions` (dist/functions.zip). Terraform uploads it; every function is built from it."
  type        = string
}

variable "cors_origins" {
  description = "Browser origins allowed to PUT to the signed upload URLs, GET results, and call the API (MDRAFT_CORS_ORIGINS). Empty: the buckets get no CORS rule (no browser uploads; the CLI and servers need none) and the API keeps the config default `*` (it authenticates by header, never by cookie)."
  type        = list(string)
  default     = []
}

variable "retention_days" {
  description = "Jobs, inputs and results are deleted after this many days (MDRAFT_RETENTION_DAYS; bucket lifecycle rules delete a day later as a backstop)."
  type        = number
  default     = 30
}

variable "max_attempts" {
  description = "Deliveries of one conversion task: the Cloud Tasks queue's max_attempts and MDRAFT_MAX_ATTEMPTS."
  type        = number
  default     = 5
}

variable "webhook_max_attempts" {
  description = "Webhook delivery attempts per job event (MDRAFT_WEBHOOK_MAX_ATTEMPTS); each attempt is its own Cloud Tasks task on the conversion queue, spaced by MDraft's own backoff."
  type        = number
  default     = 8
  validation {
    condition     = var.webhook_max_attempts >= 1 && var.webhook_max_attempts <= 50
    error_message = "webhook_max_attempts must be between 1 and 50."
  }
}

variable "convert_timeout_seconds" {
  description = "Time budget of one conversion (MDRAFT_CONVERT_TIMEOUT_S). The worker's timeout and the task dispatch deadline add a margin."
  type        = number
  default     = 540
  validation {
    condition     = var.convert_timeout_seconds >= 30 && var.convert_timeout_seconds <= 1680
    error_message = "convert_timeout_seconds must be 30..1680 (a Cloud Tasks HTTP dispatch deadline is at most 30 minutes)."
  }
}

variable "worker_max_instances" {
  description = "Most convertWorker instances at once (each converts one document at a time)."
  type        = number
  default     = 10
}

variable "tasks_max_dispatches_per_second" {
  description = "Conversions started per second. Document AI allows about 600 online requests per minute per project: keep starts well below 10/s."
  type        = number
  default     = 5
  validation {
    condition     = var.tasks_max_dispatches_per_second > 0 && var.tasks_max_dispatches_per_second < 10
    error_message = "tasks_max_dispatches_per_second must stay below Document AI's ~10 requests/s quota."
  }
}

variable "api_max_instances" {
  type    = number
  default = 20
}

variable "cleanup_schedule" {
  description = "Cron schedule of the cleanup function (UTC)."
  type        = string
  default     = "*/10 * * * *"
}

variable "firestore_database" {
  description = "Firestore database id; \"(default)\" unless the project already uses it for something else."
  type        = string
  default     = "(default)"
}

variable "firestore_location" {
  description = "Firestore location (a region such as europe-west1, or a multi-region such as eur3). Cannot be changed after creation."
  type        = string
  default     = "europe-west1"
}

variable "firestore_prefix" {
  description = "Prefix of the Firestore collection names (MDRAFT_FIRESTORE_PREFIX), to share one database between environments."
  type        = string
  default     = ""
}

variable "documentai_location" {
  description = "Document AI location of the OCR processor: \"us\" or \"eu\"."
  type        = string
  default     = "eu"
}

variable "firebase_check_revoked" {
  description = "Ask Firebase Auth whether an ID token's sessions were revoked (MDRAFT_FIREBASE_CHECK_REVOKED)."
  type        = bool
  default     = true
}

variable "wire_secrets" {
  description = "Mount the Secret Manager secrets as environment variables. Each secret needs a version first (`gcloud secrets versions add`): see terraform/README.md."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the Firestore database and the buckets' contents from `terraform destroy`."
  type        = bool
  default     = true
}

variable "log_level" {
  type    = string
  default = "info"
}

# --- Plans, Checkout, administration (functions/README.md: MDRAFT_PLANS, MDRAFT_BILLING_*).

variable "plans_json" {
  description = "The plans table as JSON (MDRAFT_PLANS; plan id → limits and stripePriceLookupKey). Empty = the defaults in shared/service/accounts/plans.ts."
  type        = string
  default     = ""
}

variable "billing_success_url" {
  description = "Where Stripe Checkout returns after paying (MDRAFT_BILLING_SUCCESS_URL; {CHECKOUT_SESSION_ID} allowed). Empty = checkout answers 501."
  type        = string
  default     = ""
}

variable "billing_cancel_url" {
  description = "Where Stripe Checkout returns when the customer gives up (MDRAFT_BILLING_CANCEL_URL)."
  type        = string
  default     = ""
}

variable "billing_grace_days" {
  description = "Days a user keeps a paid plan after a failed payment (MDRAFT_BILLING_GRACE_DAYS)."
  type        = number
  default     = 7
}

variable "audit_retention_days" {
  description = "Admin audit-log retention (MDRAFT_AUDIT_RETENTION_DAYS); the Firestore TTL policy deletes older entries."
  type        = number
  default     = 400
}

# --- The edge: an external Application Load Balancer in front of the api with Cloud Armor (edge.tf).

variable "edge_domain" {
  description = "Serve the api at https://<edge_domain> through a global load balancer with Cloud Armor per-IP rate limiting. Null = no load balancer (the function's run.app URL only)."
  type        = string
  default     = null
}

variable "edge_requests_per_minute_per_ip" {
  description = "Cloud Armor: requests a minute one client IP may send before it is throttled (429)."
  type        = number
  default     = 600
}

variable "edge_ban_seconds" {
  description = "Cloud Armor: an IP that keeps exceeding twice the rate is banned for this long (rate_based_ban)."
  type        = number
  default     = 600
}

# --- Malware scanning: the ClamAV service (clamav.tf, terraform/README.md 8d).

variable "clamav_bridge_image" {
  description = "Image of the scan bridge (docker/clamav-bridge.Dockerfile, terraform/README.md). Empty: no ClamAV service, scanning off."
  type        = string
  default     = ""
}

variable "clamav_image" {
  description = "The public ClamAV image run as the clamd sidecar (clamd + freshclam, with a signature database)."
  type        = string
  default     = "docker.io/clamav/clamav:1.4"
}

variable "clamav_ingress" {
  description = "Ingress of the ClamAV service. INGRESS_TRAFFIC_INTERNAL_ONLY needs the worker's egress routed through the VPC (terraform/README.md); INGRESS_TRAFFIC_ALL still admits only the worker's ID tokens (IAM)."
  type        = string
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  validation {
    condition     = contains(["INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_ALL"], var.clamav_ingress)
    error_message = "clamav_ingress must be INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_ALL."
  }
}

variable "clamav_min_instances" {
  description = "Warm ClamAV instances: freshclam updates signatures only in a running instance, and a cold one loads signatures for tens of seconds."
  type        = number
  default     = 1
}

variable "clamav_max_instances" {
  type    = number
  default = 5
}

variable "clamav_freshclam_checks_per_day" {
  description = "How often freshclam looks for signature updates in each instance (ClamAV's mirrors allow at most once an hour)."
  type        = number
  default     = 12
}

variable "clamav_stream_max_mb" {
  description = "Largest upload the bridge scans, in MB; clamd's StreamMaxLength in the image must be at least this (the official image's default configuration allows 100M)."
  type        = number
  default     = 100
}

variable "vpc_connector_cidr" {
  description = "The /28 the worker's Serverless VPC Access connector uses (network.tf; only when the ClamAV service is deployed with internal ingress). Must not overlap other subnets of the network."
  type        = string
  default     = "10.8.0.0/28"
  validation {
    condition     = can(cidrhost(var.vpc_connector_cidr, 0)) && endswith(var.vpc_connector_cidr, "/28")
    error_message = "vpc_connector_cidr must be a /28 range, as Serverless VPC Access requires."
  }
}

variable "vpc_connector_max_instances" {
  description = "Most connector instances (e2-micro, 2 at least): the worker's egress throughput, Google APIs included."
  type        = number
  default     = 3
}
