// Package legacy still uses the AWS SDK for Go v1.
package legacy

import (
	"os"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/s3/s3manager"
	"github.com/aws/aws-sdk-go/service/sqs"
)

var queueURL = os.Getenv("EVENTS_QUEUE_URL")

// Publish sends a catalog event.
func Publish(body string) error {
	sess := session.Must(session.NewSession())
	svc := sqs.New(sess)
	_, err := svc.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(queueURL), MessageBody: aws.String(body)})
	return err
}

// Archive uploads an export.
func Archive(key string) error {
	up := s3manager.NewUploader(session.Must(session.NewSession()))
	_, err := up.Upload(&s3manager.UploadInput{Bucket: aws.String(os.Getenv("ASSETS_BUCKET")), Key: aws.String("archive/" + key)})
	return err
}
