// Command reports lists the day's reports in the uploads bucket when the
// feature flag is on.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	flag, err := ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(os.Getenv("REPORTS_FLAG"))})
	if err != nil || aws.ToString(flag.Parameter.Value) != "true" {
		return
	}
	bucket := os.Getenv("UPLOADS_BUCKET")
	client := s3.NewFromConfig(cfg)
	out, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("reports/")})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range out.Contents {
		if _, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key}); err != nil {
			log.Print(err)
		}
	}
}
