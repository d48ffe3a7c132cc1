import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    """A Lambda function in the same repository: not the container's code."""
    s3.delete_object(Bucket="receipts", Key=event["key"])
