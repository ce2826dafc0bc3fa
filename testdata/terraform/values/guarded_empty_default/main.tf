# The caller sets the bucket but not the statements.
module "logs_policy" {
  source = "./modules/bucket_policy"
  bucket = "logs"
}
