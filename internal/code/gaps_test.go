package code

import (
	"strings"
	"testing"
)

// TestInputsNotRead: a call on a client the reader knows is never lost:
// the client from a class's static helper reaches every call made on it,
// and an input the reader cannot read still grants the operation, with
// a diagnostic at the call.
func TestInputsNotRead(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python client from a static class helper, passed to the class's functions", map[string]string{
			"lib/store.py": `
import os, boto3
class Store:
    def client():
        return boto3.client("dynamodb")
    def recent(client, owner):
        params = {"TableName": os.getenv("EVENTS"), "Limit": 5}
        return client.query(**params)
    def save(client, item):
        client.put_item(TableName=os.getenv("EVENTS"), Item=item)
`,
			"views.py": `
from lib.store import Store
def show(owner):
    db = Store.client()
    Store.save(db, {})
    return Store.recent(db, owner)
`}, []string{"lib/store.py:8 python dynamodb.Query Limit=5 TableName=$EVENTS", "lib/store.py:10 python dynamodb.PutItem TableName=$EVENTS"}, nil},
		{"python **kwargs the reader cannot read", map[string]string{"a.py": `
import boto3
sqs = boto3.client("sqs")
def send(**kwargs):
    sqs.send_message(**kwargs)
def make(extra):
    sqs.send_message(QueueUrl="q", **extra)
`}, []string{"a.py:5 python sqs.SendMessage (unread)", "a.py:7 python sqs.SendMessage QueueUrl=q (unread)"}, []string{
			"a.py:5:9: warning: sqs.SendMessage takes its input from **kwargs, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
			"a.py:7:9: warning: sqs.SendMessage takes its input from **extra, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
		}},
		{"js spreads: read when known, said when not", map[string]string{"a.ts": `
import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
const base = { Bucket: "media" };
export async function get(key: string) {
  return s3.send(new GetObjectCommand({ ...base, Key: key }));
}
export async function put(input: any) {
  return s3.send(new PutObjectCommand(input));
}
`}, []string{"a.ts:6 js s3.GetObject Bucket=media", "a.ts:9 js s3.PutObject (unread)"}, []string{
			"a.ts:9:18: warning: s3.PutObject takes its input from input, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
		}},
		{"js static method of a class returning a client", map[string]string{"a.js": `
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
class Clients {
  static sqs() { return new SQSClient({ region: "eu-west-1" }); }
}
module.exports.send = () => Clients.sqs().send(new SendMessageCommand({ QueueUrl: "q" }));
`}, []string{"a.js:6 js sqs.SendMessage QueueUrl=q @eu-west-1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := scanFiles(t, tt.files)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || strings.Join(diags, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), strings.Join(diags, "\n"), strings.Join(tt.diags, "\n"))
			}
		})
	}
}

// TestDynamoDBBatchTables: the tables of batch and transaction
// operations are read from their input.
func TestDynamoDBBatchTables(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python batch write keyed by variables", map[string]string{"a.py": `
import os, boto3
ddb = boto3.client("dynamodb")
ORDERS = os.environ["ORDERS"]
def save(items):
    ddb.batch_write_item(RequestItems={ORDERS: items, "audit": [], f"{ORDERS}-archive": []})
`}, []string{"a.py:6 python dynamodb.BatchWriteItem TableName=$ORDERS,audit,$ORDERS-archive"}, nil},
		{"python transaction items by kind", map[string]string{"a.py": `
import boto3
ddb = boto3.client("dynamodb")
ddb.transact_write_items(TransactItems=[
    {"Put": {"TableName": "orders", "Item": {}}},
    {"Update": {"TableName": "stock", "Key": {}}},
    {"ConditionCheck": {"TableName": "users", "Key": {}}},
])
`}, []string{"a.py:4 python dynamodb.TransactWriteItems TableName=orders,stock,users TransactItems.ConditionCheck=users TransactItems.Put=orders TransactItems.Update=stock"}, nil},
		{"js document client batch get with computed keys and a built transaction", map[string]string{"a.ts": `
import { DynamoDBDocumentClient, BatchGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
const T = process.env.TABLE;
export async function run(doc: DynamoDBDocumentClient) {
  await doc.send(new BatchGetCommand({ RequestItems: { [T]: { Keys: [] }, "users": { Keys: [] } } }));
  const items = [];
  items.push({ Delete: { TableName: "sessions", Key: {} } });
  await doc.send(new TransactWriteCommand({ TransactItems: items }));
}
`}, []string{"a.ts:5 js dynamodb.BatchGetItem TableName=$TABLE,users", "a.ts:8 js dynamodb.TransactWriteItems TableName=sessions TransactItems.Delete=sessions"}, nil},
		{"go batch map keys and transaction items", map[string]string{"main.go": `package main
import (
	"context"
	"os"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)
func run(c *dynamodb.Client) {
	items := map[string][]types.WriteRequest{os.Getenv("ORDERS"): nil, "audit": nil}
	c.BatchWriteItem(context.TODO(), &dynamodb.BatchWriteItemInput{RequestItems: items})
	c.TransactWriteItems(context.TODO(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("orders")}},
		{Delete: &types.Delete{TableName: aws.String("carts")}},
	}})
}
`}, []string{"main.go:11 go dynamodb.BatchWriteItem TableName=$ORDERS,audit",
			"main.go:12 go dynamodb.TransactWriteItems TableName=orders,carts TransactItems.Delete=carts TransactItems.Put=orders"}, nil},
		{"a key the reader cannot read", map[string]string{"a.py": `
import boto3
def save(name, items):
    boto3.client("dynamodb").batch_write_item(RequestItems={name.upper(): items})
`}, []string{"a.py:4 python dynamodb.BatchWriteItem (unread)"}, []string{
			"a.py:4:30: warning: dynamodb.BatchWriteItem takes its input from a table of RequestItems, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := scanFiles(t, tt.files)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || strings.Join(diags, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), strings.Join(diags, "\n"), strings.Join(tt.diags, "\n"))
			}
		})
	}
}
