module "logs" {
  source = "../../modules/logs"
  name   = "shipper"
}
