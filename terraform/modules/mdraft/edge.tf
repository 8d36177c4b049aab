# The edge (only when var.edge_domain is set): a global external Application Load Balancer in front of the api
# function, with a Cloud Armor security policy that limits requests PER CLIENT IP before they reach the
# function. The per-user and per-key limits of the plans are enforced by the api itself (store-backed,
# shared/service/accounts/rate-limit.ts); Cloud Armor stops floods from one address, authenticated or not,
# without costing a function instance.
#
#   client → forwarding rule (443, managed certificate for edge_domain) → URL map → backend service
#          (security_policy = the policy below) → serverless NEG → the api's Cloud Run service
#
# Cloud Armor rules (https://cloud.google.com/armor/docs/rate-limiting-overview):
#   priority 1000  rate_based_ban: past 2 × edge_requests_per_minute_per_ip a minute, the IP is refused (429)
#                  for edge_ban_seconds;
#   priority 1100  throttle: past edge_requests_per_minute_per_ip a minute, the excess gets 429;
#   default        allow.
# The api's ingress becomes ALLOW_INTERNAL_AND_GCLB, so the run.app URL no longer bypasses the edge. The
# Stripe webhook keeps its own URL (Stripe's retries must never be throttled by a per-IP rule).

locals {
  edge = var.edge_domain == null ? {} : { api = var.edge_domain }
}

resource "google_compute_security_policy" "api" {
  for_each    = local.edge
  project     = var.project_id
  name        = "${var.name_prefix}-api-edge"
  description = "MDraft api: per-IP rate limiting at the edge"
  type        = "CLOUD_ARMOR"

  rule {
    action      = "rate_based_ban"
    priority    = 1000
    description = "ban an IP that sends more than twice the per-IP rate"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action   = "allow"
      exceed_action    = "deny(429)"
      enforce_on_key   = "IP"
      ban_duration_sec = var.edge_ban_seconds
      rate_limit_threshold {
        count        = var.edge_requests_per_minute_per_ip * 2
        interval_sec = 60
      }
    }
  }

  rule {
    action      = "throttle"
    priority    = 1100
    description = "throttle each IP to the per-IP rate"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action = "allow"
      exceed_action  = "deny(429)"
      enforce_on_key = "IP"
      rate_limit_threshold {
        count        = var.edge_requests_per_minute_per_ip
        interval_sec = 60
      }
    }
  }

  rule {
    action      = "allow"
    priority    = 2147483647
    description = "default: allow"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }

  depends_on = [google_project_service.enabled]
}

# Cloud Run functions (gen2) run as a Cloud Run service of the same name.
resource "google_compute_region_network_endpoint_group" "api" {
  for_each              = local.edge
  project               = var.project_id
  name                  = "${var.name_prefix}-api-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloudfunctions2_function.api.name
  }
}

resource "google_compute_backend_service" "api" {
  for_each              = local.edge
  project               = var.project_id
  name                  = "${var.name_prefix}-api-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.api[each.key].id

  backend {
    group = google_compute_region_network_endpoint_group.api[each.key].id
  }
}

resource "google_compute_url_map" "api" {
  for_each        = local.edge
  project         = var.project_id
  name            = "${var.name_prefix}-api-edge"
  default_service = google_compute_backend_service.api[each.key].id
}

resource "google_compute_managed_ssl_certificate" "api" {
  for_each = local.edge
  project  = var.project_id
  name     = "${var.name_prefix}-api-cert"

  managed {
    domains = [each.value]
  }
}

resource "google_compute_target_https_proxy" "api" {
  for_each         = local.edge
  project          = var.project_id
  name             = "${var.name_prefix}-api-https"
  url_map          = google_compute_url_map.api[each.key].id
  ssl_certificates = [google_compute_managed_ssl_certificate.api[each.key].id]
}

resource "google_compute_global_address" "api" {
  for_each = local.edge
  project  = var.project_id
  name     = "${var.name_prefix}-api-ip"
}

resource "google_compute_global_forwarding_rule" "api" {
  for_each              = local.edge
  project               = var.project_id
  name                  = "${var.name_prefix}-api-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  target                = google_compute_target_https_proxy.api[each.key].id
  ip_address            = google_compute_global_address.api[each.key].id
  port_range            = "443"
}
