# A role defined elsewhere: who can assume it is unknown, so AdministratorAccess is a warning
# and full S3 and SQS access (SystemAdministrator, under its `job-function/` path) an info,
# both at medium confidence.
resource "aws_iam_role_policy_attachment" "admin" {
  role       = "existing-role"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "sysadmin" {
  role       = "existing-role"
  policy_arn = "arn:aws:iam::aws:policy/job-function/SystemAdministrator"
}
