// Command catalog serves the product catalog.
package main

import (
	"bytes"
	"context"
	"log"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
)

const modelID = "anthropic.claude-3-haiku-20240307-v1:0"

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	store := newStore(cfg)
	_ = store.Item(ctx, "1")

	ai := bedrockruntime.NewFromConfig(cfg)
	if _, err := ai.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String(modelID)}); err != nil {
		log.Print(err)
	}
	keys := kms.NewFromConfig(cfg)
	if _, err := keys.Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String("alias/catalog"), CiphertextBlob: []byte{}}); err != nil {
		log.Print(err)
	}
	tags := resourcegroupstaggingapi.NewFromConfig(cfg)
	if _, err := tags.GetResources(ctx, &resourcegroupstaggingapi.GetResourcesInput{}); err != nil {
		log.Print(err)
	}
	// Scale-in protection while a long job runs.
	url := os.Getenv("ECS_AGENT_URI") + "/task-protection/v1/state"
	if _, err := http.Post(url, "application/json", bytes.NewBufferString(`{"ProtectionEnabled":true}`)); err != nil {
		log.Print(err)
	}
}
