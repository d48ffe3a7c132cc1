import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const s3 = new S3Client({});
const sqs = new SQSClient({});
const ssm = new SSMClient({});
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function upload(id: string, body: Uint8Array): Promise<void> {
  const base = await ssm.send(new GetParameterCommand({ Name: "/shop/frontend/api-base" }));
  const order = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }));
  await s3.send(new PutObjectCommand({ Bucket: process.env.UPLOAD_BUCKET, Key: `uploads/${id}`, Body: body }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ id, base, order }) }));
}
