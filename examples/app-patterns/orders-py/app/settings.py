"""Settings from the environment (pydantic) and plain module constants."""
import os

from pydantic_settings import BaseSettings

REGION = os.getenv("AWS_REGION", "eu-west-1")
QUEUE_URL = os.environ["ORDERS_QUEUE_URL"]


class Settings(BaseSettings):
    orders_table: str = "orders"
    receipts_bucket: str


settings = Settings()
