const { SQSClient, ReceiveMessageCommand, DeleteMessageCommand } = require("@aws-sdk/client-sqs");
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
const { KMSClient, EncryptCommand } = require("@aws-sdk/client-kms");

const sqs = new SQSClient({});
const s3 = new S3Client({});
const kms = new KMSClient({});
const queueUrl = process.env.JOBS_QUEUE_URL;

async function run() {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
  for (const m of Messages) {
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: process.env.REPORTS_KEY_ID, Plaintext: Buffer.from(m.Body) }));
    await s3.send(new PutObjectCommand({ Bucket: process.env.REPORTS_BUCKET, Key: `reports/${m.MessageId}.bin`, Body: CiphertextBlob }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
  }
}

run();
