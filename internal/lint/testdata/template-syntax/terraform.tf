resource "aws_iam_policy" "broken" {
  name   = "broken"
  policy = jsonencode({
    Version = "2012-10-17"
