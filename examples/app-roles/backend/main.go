// Command backend serves the shop's orders.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	db := dynamodb.NewFromConfig(cfg)
	queue := sqs.NewFromConfig(cfg)
	params := ssm.NewFromConfig(cfg)
	stacks := cloudformation.NewFromConfig(cfg)

	flags, err := params.GetParameter(ctx, &ssm.GetParameterInput{
		Name:           aws.String("/shop/backend/feature-flags"),
		WithDecryption: aws.Bool(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = flags

	out, err := stacks.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("shop-network")})
	if err != nil {
		log.Fatal(err)
	}
	_ = out

	order := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "1"}}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(os.Getenv("TABLE_NAME")), Item: order}); err != nil {
		log.Fatal(err)
	}
	if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(os.Getenv("TABLE_NAME")), Key: order}); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(os.Getenv("TABLE_NAME")),
		IndexName: aws.String("by-customer"),
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := queue.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(os.Getenv("QUEUE_URL")), MessageBody: aws.String("{}")}); err != nil {
		log.Fatal(err)
	}
}
