from boto3.dynamodb.conditions import Key

from .aws import dynamodb
from .settings import settings


class OrderRepo:
    """Orders in one table, the handle kept on self."""

    def __init__(self, table_name):
        self.table = dynamodb().Table(table_name)

    def get(self, order_id):
        return self.table.get_item(Key={"id": order_id}).get("Item")

    def by_customer(self, customer):
        return self.table.query(IndexName="by-customer", KeyConditionExpression=Key("customer").eq(customer))

    def save_all(self, orders):
        with self.table.batch_writer() as batch:
            for order in orders:
                batch.put_item(Item=order)


repo = OrderRepo(settings.orders_table)
