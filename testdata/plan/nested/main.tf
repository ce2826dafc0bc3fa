module "platform" {
  source  = "./modules/platform"
  actions = ["iam:*"]
}
