{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": [
        %{ for bucket in buckets ~}
        "arn:aws:s3:::${bucket}",
        %{ endfor ~}
      ]
    }
  ]
}
