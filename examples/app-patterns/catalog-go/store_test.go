package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Tests are not the container's code: this call needs nothing in production.
func TestDelete(t *testing.T) {
	var db *dynamodb.Client
	db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String("catalog")})
}
