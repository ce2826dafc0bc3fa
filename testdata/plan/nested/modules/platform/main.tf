variable "actions" {
  type = list(string)
}

module "deployer" {
  source  = "../deployer"
  role    = "deployer"
  actions = var.actions
}
