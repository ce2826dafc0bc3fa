module "reader" {
  source  = "./modules/bucket_reader"
  bucket  = "reports"
  actions = ["s3:*"]
}
