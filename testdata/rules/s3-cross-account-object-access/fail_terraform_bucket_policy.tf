resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
}

data "aws_iam_policy_document" "exports" {
  statement {
    sid     = "VendorUpload"
    actions = ["s3:PutObject", "s3:PutObjectAcl"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:role/uploader"]
    }
    resources = ["${aws_s3_bucket.exports.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.exports.json
}
