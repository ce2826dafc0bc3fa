variable "bucket" {
  type = string
}

variable "statements" {
  description = "Extra statements of the bucket policy; none by default."
  type        = any
  default     = []
}
