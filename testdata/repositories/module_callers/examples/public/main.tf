module "bucket_policy" {
  source = "../../modules/bucket_policy"
  bucket = "public-site"
}
