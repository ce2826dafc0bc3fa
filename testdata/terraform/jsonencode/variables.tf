variable "bucket" {
  type = string
}

variable "services" {
  type    = list(string)
  default = ["ec2", "rds"]
}

variable "enable_admin" {
  type    = bool
  default = false
}

variable "ami" {
  type = string
}
