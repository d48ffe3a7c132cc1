import { GetObjectCommand, waitUntilObjectExists } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Upload } from "@aws-sdk/lib-storage";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
import { s3, s3Client } from "./clients";
import { config } from "./config";

const key = (id: string) => `${config.prefix}${id}`;

export class Media {
  private readonly sns: SNSClient;

  constructor(private readonly topic = process.env.MEDIA_TOPIC_ARN) {
    this.sns = new SNSClient({});
  }

  async put(id: string, body: Uint8Array): Promise<string> {
    await s3.putObject({ Bucket: config.bucket, Key: key(id), Body: body });
    await this.sns.send(new PublishCommand({ TopicArn: process.env.MEDIA_TOPIC_ARN, Message: id }));
    return getSignedUrl(s3Client, new GetObjectCommand({ Bucket: config.bucket, Key: key(id) }), { expiresIn: 600 });
  }

  async large(id: string, body: ReadableStream) {
    const upload = new Upload({ client: s3Client, params: { Bucket: config.bucket, Key: "uploads/" + id, Body: body } });
    await upload.done();
    await waitUntilObjectExists({ client: s3Client, maxWaitTime: 60 }, { Bucket: config.bucket, Key: "uploads/" + id });
  }
}
