variable "project_id" {
  description = "The Google Cloud project of the dev environment."
  type        = string
}

variable "region" {
  type    = string
  default = "europe-west1"
}

variable "function_source_zip" {
  description = "The package built by `npm run package:functions`, relative to this directory."
  type        = string
  default     = "../../../dist/functions.zip"
}

variable "cors_origins" {
  description = "Browser origins allowed to use the API and the signed URLs."
  type        = list(string)
  default     = []
}

variable "wire_secrets" {
  description = "Set to false only for the very first apply, before the secrets have versions (terraform/README.md)."
  type        = bool
  default     = true
}

variable "clamav_bridge_image" {
  description = "The scan bridge image (docker/clamav-bridge.Dockerfile); empty = malware scanning off."
  type        = string
  default     = ""
}
