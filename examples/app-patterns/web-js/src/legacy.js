// The JavaScript SDK v2, still used by the websocket notifier.
const AWS = require("aws-sdk");

const sqs = new AWS.SQS({ region: process.env.AWS_REGION });
const audit = new AWS.DynamoDB.DocumentClient();
const sockets = new AWS.ApiGatewayManagementApi({ endpoint: process.env.WS_ENDPOINT });

async function notify(connectionId, body) {
  await sqs.sendMessage({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: body }).promise();
  await audit.put({ TableName: "web-audit", Item: { connectionId } }).promise();
  await sockets.postToConnection({ ConnectionId: connectionId, Data: body }).promise();
}

module.exports = { notify };
