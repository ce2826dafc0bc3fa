module "bucket_policy" {
  source        = "../../modules/bucket_policy"
  bucket        = "partner-drop"
  extra_actions = ["s3:*"]
}
