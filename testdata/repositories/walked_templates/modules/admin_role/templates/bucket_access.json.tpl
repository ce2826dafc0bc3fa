{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadWrite",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject"%{ if allow_write },
        "s3:PutObject"%{ endif }
      ],
      "Resource": "arn:aws:s3:::${bucket}/*",
      "Condition": {
        "StringEqual": { "${condition_key}": "${condition_value}" }
      }
    },
    {
      "Sid": "List",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": [
        "arn:aws:s3:::${bucket}",
        "arn:aws:s3:::${bucket}/*"
      ]
    },
    {
      "Sid": "Kms",
      "Effect": "Allow",
      "Action": ${jsonencode(kms_actions)},
      "Resource": "arn:aws:kms:${region}:${account_id}:key/${key_id}"
    }
  ]
}
