import json
import os

import boto3

s3 = boto3.client("s3")
ddb = boto3.client("dynamodb")
sqs = boto3.client("sqs")
sns = boto3.client("sns")
ssm = boto3.client("ssm")

UPLOADS = os.environ["UPLOADS_BUCKET"]
ORDERS = os.environ["ORDERS_TABLE"]


def flags():
    return json.loads(ssm.get_parameter(Name=os.environ["FLAGS_PARAMETER"])["Parameter"]["Value"])


def create_order(order_id, body):
    s3.put_object(Bucket=UPLOADS, Key=f"orders/{order_id}.json", Body=body)
    ddb.put_item(TableName=ORDERS, Item={"id": {"S": order_id}})
    sqs.send_message(QueueUrl=os.environ["JOBS_QUEUE_URL"], MessageBody=order_id)
    sns.publish(TopicArn=os.environ["EVENTS_TOPIC_ARN"], Message=order_id)


def get_order(order_id):
    return ddb.get_item(TableName=ORDERS, Key={"id": {"S": order_id}})
