module "platform" {
  source  = "./modules/platform"
  actions = ["iam:*", "s3:GetObjct"]
}
