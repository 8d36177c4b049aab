# Firestore (native mode), the TTL policy and the composite indexes. The index list is the one the job
# store's queries are written against (shared/adapters/gcp/firestore-indexes.json, Firebase CLI format),
# read here so the two cannot drift apart.

locals {
  firestore_spec = jsondecode(file("${path.module}/../../../shared/adapters/gcp/firestore-indexes.json"))

  firestore_indexes = {
    for ix in local.firestore_spec.indexes :
    "${ix.collectionGroup}:${join(",", [for f in ix.fields : "${f.fieldPath}-${try(f.order, f.arrayConfig)}"])}" => ix
  }

  firestore_ttl_fields = {
    for f in local.firestore_spec.fieldOverrides :
    "${f.collectionGroup}.${f.fieldPath}" => f if try(f.ttl, false)
  }
}

resource "google_firestore_database" "main" {
  project                 = var.project_id
  name                    = var.firestore_database
  location_id             = var.firestore_location
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy         = var.deletion_protection ? "ABANDON" : "DELETE"

  depends_on = [google_project_service.enabled]
}

# TTL on the job expiry field (FirestoreJobStore sets expiresAt = createdAt + retention + grace). Deletion
# happens within about a day of expiry: a backstop to the cleanup function, which queries never rely on.
resource "google_firestore_field" "ttl" {
  for_each   = local.firestore_ttl_fields
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "${var.firestore_prefix}${each.value.collectionGroup}"
  field      = each.value.fieldPath

  ttl_config {}

  # No single-field indexes on a timestamp nobody queries (also avoids write hot-spotting).
  index_config {}
}

resource "google_firestore_index" "composite" {
  for_each    = local.firestore_indexes
  project     = var.project_id
  database    = google_firestore_database.main.name
  collection  = "${var.firestore_prefix}${each.value.collectionGroup}"
  query_scope = each.value.queryScope

  dynamic "fields" {
    for_each = each.value.fields
    content {
      # A field is either ordered (ASCENDING/DESCENDING) or an array-contains field (arrayConfig CONTAINS).
      field_path   = fields.value.fieldPath
      order        = try(fields.value.order, null)
      array_config = try(fields.value.arrayConfig, null)
    }
  }
}
