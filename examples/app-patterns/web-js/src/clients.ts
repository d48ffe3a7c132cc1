import { S3, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as lib from "@aws-sdk/lib-dynamodb";

// An aggregated client and a document client made once, shared.
export const s3 = new S3({});
export const s3Client = new S3Client({});
export const dynamo = new DynamoDBClient({});
export const docs = lib.DynamoDBDocument.from(dynamo);
