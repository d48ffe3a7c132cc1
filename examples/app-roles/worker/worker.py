"""Worker: turns queued orders into invoices."""
import json
import os

import boto3

sqs = boto3.client("sqs")
s3 = boto3.client("s3")
orders = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def run():
    queue_url = os.environ["QUEUE_URL"]
    while True:
        resp = sqs.receive_message(QueueUrl=os.environ["QUEUE_URL"], WaitTimeSeconds=20)
        for msg in resp.get("Messages", []):
            order = json.loads(msg["Body"])
            s3.put_object(Bucket=os.environ["INVOICE_BUCKET"], Key=f"invoices/{order['id']}.json", Body=b"{}")
            orders.update_item(Key={"id": order["id"]}, UpdateExpression="SET invoiced = :t", ExpressionAttributeValues={":t": True})
            sqs.delete_message(QueueUrl=os.environ["QUEUE_URL"], ReceiptHandle=msg["ReceiptHandle"])


if __name__ == "__main__":
    run()
