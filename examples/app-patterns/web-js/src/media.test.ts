import { S3Client, DeleteBucketCommand } from "@aws-sdk/client-s3";
// Tests are not the container's code.
await new S3Client({}).send(new DeleteBucketCommand({ Bucket: "media" }));
