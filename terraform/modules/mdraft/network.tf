# VPC egress for the conversion worker, so it can reach the ClamAV service (clamav.tf) behind internal-only
# ingress. Cloud Run counts a request from a function as internal only when it leaves through a VPC network:
# the worker's egress goes through a Serverless VPC Access connector with ALL_TRAFFIC, its subnet has Private
# Google Access (the *.run.app URL and every Google API stay reachable through it), and Cloud NAT gives the
# worker the internet addresses it still needs (Stripe's meter events, Sentry).
#   https://cloud.google.com/run/docs/securing/private-networking#from-other-services
#   https://cloud.google.com/functions/docs/networking/connecting-vpc
# Declared only when the scanner is deployed with internal ingress (the default); with
# clamav_ingress = "INGRESS_TRAFFIC_ALL" the worker calls it over the internet with its ID token instead.

locals {
  worker_vpc_egress = local.clamav_enabled && var.clamav_ingress == "INGRESS_TRAFFIC_INTERNAL_ONLY"
}

resource "google_compute_network" "egress" {
  count                   = local.worker_vpc_egress ? 1 : 0
  project                 = var.project_id
  name                    = "${var.name_prefix}-egress"
  auto_create_subnetworks = false
  depends_on              = [google_project_service.enabled]
}

# A connector needs a /28 of its own.
resource "google_compute_subnetwork" "connector" {
  count                    = local.worker_vpc_egress ? 1 : 0
  project                  = var.project_id
  region                   = var.region
  name                     = "${var.name_prefix}-connector"
  network                  = google_compute_network.egress[0].id
  ip_cidr_range            = var.vpc_connector_cidr
  private_ip_google_access = true
}

resource "google_vpc_access_connector" "worker" {
  count         = local.worker_vpc_egress ? 1 : 0
  project       = var.project_id
  region        = var.region
  name          = "${var.name_prefix}-vpc"
  machine_type  = "e2-micro"
  min_instances = 2
  max_instances = var.vpc_connector_max_instances
  subnet {
    name = google_compute_subnetwork.connector[0].name
  }
  depends_on = [google_project_service.enabled]
}

resource "google_compute_router" "egress" {
  count   = local.worker_vpc_egress ? 1 : 0
  project = var.project_id
  region  = var.region
  name    = "${var.name_prefix}-egress"
  network = google_compute_network.egress[0].id
}

resource "google_compute_router_nat" "egress" {
  count                              = local.worker_vpc_egress ? 1 : 0
  project                            = var.project_id
  region                             = var.region
  name                               = "${var.name_prefix}-egress"
  router                             = google_compute_router.egress[0].name
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}
