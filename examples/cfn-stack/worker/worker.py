"""Takes jobs off the queue: reads the upload, writes the result to the
scratch bucket, records the order and tells the topic."""
import json
import os

import boto3

UPLOADS = os.environ["UPLOADS_BUCKET"]
SCRATCH = os.environ["SCRATCH_BUCKET"]
QUEUE_URL = os.environ["JOBS_QUEUE_URL"]
TOPIC_ARN = os.environ["DONE_TOPIC_ARN"]

s3 = boto3.client("s3")
sqs = boto3.client("sqs")
sns = boto3.client("sns")
kms = boto3.client("kms")
secrets = boto3.client("secretsmanager")
orders = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])


def payments_key():
    return secrets.get_secret_value(SecretId=os.environ["PAYMENTS_SECRET_ARN"])["SecretString"]


def handle(job):
    order = orders.get_item(Key={"id": job["order"]})["Item"]
    s3.download_file(UPLOADS, f"incoming/{job['file']}", "/tmp/in")
    s3.upload_file("/tmp/in", SCRATCH, f"work/{job['file']}")
    sealed = kms.encrypt(KeyId=os.environ["EVENTS_KEY_ARN"], Plaintext=json.dumps(order).encode())
    orders.update_item(Key={"id": job["order"]}, UpdateExpression="SET done = :t", ExpressionAttributeValues={":t": True})
    sns.publish(TopicArn=TOPIC_ARN, Message=sealed["CiphertextBlob"].hex())


def main():
    key = payments_key()
    while key:
        resp = sqs.receive_message(QueueUrl=QUEUE_URL, WaitTimeSeconds=20)
        for m in resp.get("Messages", []):
            handle(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=m["ReceiptHandle"])


if __name__ == "__main__":
    main()
