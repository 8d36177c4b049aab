# The OCR processor for scanned pages. Its name reaches the functions as MDRAFT_DOCUMENTAI_PROCESSOR; only the
# worker's account may call it (iam.tf).
resource "google_document_ai_processor" "ocr" {
  project      = var.project_id
  location     = var.documentai_location
  display_name = "${var.name_prefix}-ocr"
  type         = "OCR_PROCESSOR"

  depends_on = [google_project_service.enabled]
}
