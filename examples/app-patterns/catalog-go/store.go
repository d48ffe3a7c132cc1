package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const imagePrefix = "images/"

// Store keeps the catalog: items in DynamoDB, images in S3.
type Store struct {
	db  *dynamodb.Client
	s3  *s3.Client
	cfg Config
}

func newStore(awsCfg aws.Config) *Store {
	return &Store{db: dynamodb.NewFromConfig(awsCfg), s3: s3.NewFromConfig(awsCfg), cfg: loadConfig()}
}

func (s *Store) Item(ctx context.Context, id string) error {
	_, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.cfg.Table)})
	return err
}

func (s *Store) Search(ctx context.Context) error {
	in := &dynamodb.QueryInput{}
	in.TableName = aws.String(s.cfg.Table)
	in.IndexName = aws.String("by-category")
	_, err := s.db.Query(ctx, in)
	return err
}

func (s *Store) Images(ctx context.Context) ([]string, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(s.s3, &s3.ListObjectsV2Input{Bucket: aws.String(s.cfg.Bucket), Prefix: aws.String(imagePrefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			keys = append(keys, *o.Key)
		}
	}
	return keys, nil
}

func (s *Store) Upload(ctx context.Context, id string, body *strings.Reader) error {
	up := manager.NewUploader(s.s3)
	_, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(imagePrefix + id), Body: body})
	return err
}

func (s *Store) Link(ctx context.Context, id string) (string, error) {
	req, err := s3.NewPresignClient(s.s3).PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.cfg.Bucket),
		Key:    aws.String(fmt.Sprintf("images/%s.png", id)),
	})
	if err != nil {
		return "", err
	}
	return req.URL, nil
}

// WaitReport waits for the nightly export, whose key has a literal star.
func (s *Store) WaitReport(ctx context.Context) error {
	w := s3.NewObjectExistsWaiter(s.s3)
	return w.Wait(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String("reports/*.csv")}, time.Minute)
}

func (s *Store) Buckets(ctx context.Context) error {
	_, err := s.s3.ListBuckets(ctx, nil)
	return err
}
