import aws_cdk as cdk
from aws_cdk import aws_s3 as s3

app = cdk.App()
