// The shop's API: orders in the shared table, jobs for the worker, a
// notice on the topic.
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const ddb = new DynamoDBClient({});
const sns = new SNSClient({});
const sqs = new SQSClient({});
const table = process.env.ORDERS_TABLE_ARN;

export async function createOrder(order) {
  await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: order.id } } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: JSON.stringify(order) }));
  await sns.send(new PublishCommand({ TopicArn: process.env.DONE_TOPIC_ARN, Message: `order ${order.id}` }));
}

export async function getOrder(id) {
  return ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }));
}
