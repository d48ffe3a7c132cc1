"""Turns queued orders into receipts."""
import json

import boto3

from .aws import client
from .repo import repo
from .settings import QUEUE_URL, settings

sqs = client("sqs")
s3 = client("s3")
mail = client("sesv2")
ai = boto3.client("bedrock-runtime")
tags = client("resourcegroupstaggingapi")
BUCKET = settings.receipts_bucket


def receipts(day):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"receipts/{day}/")
    return [o["Key"] for p in pages for o in p.get("Contents", [])]


def handle(msg):
    order = json.loads(msg["Body"])
    key = "receipts/%s.pdf" % order["id"]
    s3.download_file(BUCKET, "templates/receipt.html", "/tmp/receipt.html")
    s3.upload_file("/tmp/receipt.pdf", BUCKET, key)
    s3.get_waiter("object_exists").wait(Bucket=BUCKET, Key=key)
    link = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=3600)
    s3.copy_object(CopySource={"Bucket": BUCKET, "Key": key}, Bucket=BUCKET, Key="archive/" + key)
    summary = ai.converse(modelId="eu.anthropic.claude-3-haiku-20240307-v1:0", messages=[])
    mail.send_email(FromEmailAddress="orders@example.com", Destination={}, Content={})
    repo.save_all([order])
    return link, summary


def cleanup():
    bucket = boto3.resource("s3").Bucket(BUCKET)
    bucket.objects.filter(Prefix="tmp/").delete()
    tags.get_resources(TagFilters=[{"Key": "app", "Values": ["orders"]}])


def run():
    while True:
        resp = sqs.receive_message(QueueUrl=QUEUE_URL, WaitTimeSeconds=20)
        for msg in resp.get("Messages", []):
            handle(msg)
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=msg["ReceiptHandle"])


if __name__ == "__main__":
    run()
