"""Clients made in one place."""
from functools import lru_cache

import boto3

from .settings import REGION


def client(name):
    return boto3.client(name, region_name=REGION)


@lru_cache
def dynamodb():
    return boto3.session.Session().resource("dynamodb")
