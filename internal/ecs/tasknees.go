package ecs

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/need"
)

// TaskNeeds returns what the task role needs for what the task
// definition itself asks of the task, besides the application's code:
// FireLens outputs (the log router sends with the task role's
// credentials: CloudWatch Logs, Kinesis Data Firehose, Kinesis Data
// Streams, S3) and an AWS X-Ray daemon or ADOT collector sidecar.
func TaskNeeds(td *TaskDefinition, at Where) []need.Need {
	var out []need.Need
	file := td.File.Name
	add := func(pos String, why, action, resource string) {
		out = append(out, need.Need{Action: action, Resource: resource, Why: why, File: file, Pos: pos.Pos})
	}
	xray := false
	for _, c := range td.Containers {
		file = containerFile(td, c)
		name := c.Name
		if c.LogDriver == "awsfirelens" {
			opt := func(keys ...string) (String, bool) {
				for _, k := range keys {
					for ok, v := range c.LogOptions {
						if strings.EqualFold(ok, k) && v.Value != "" {
							return v, true
						}
					}
				}
				return String{}, false
			}
			region := at.Region
			if r, ok := opt("region"); ok {
				region = r.Value
			}
			out2, _ := opt("Name")
			why := "container " + name + ": FireLens output " + out2.Value
			switch strings.ToLower(out2.Value) {
			case "cloudwatch", "cloudwatch_logs":
				g, ok := opt("log_group_name")
				group := Param(name, "LogGroup")
				if ok {
					group = g.Value
				} else {
					g = out2
				}
				groupARN := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, at.Account, group)
				add(g, why, "logs:CreateLogStream", groupARN+":log-stream:*")
				add(g, why, "logs:PutLogEvents", groupARN+":log-stream:*")
				add(g, why, "logs:DescribeLogStreams", groupARN+":log-stream:*")
				if cg, ok := opt("auto_create_group"); ok && strings.EqualFold(cg.Value, "true") {
					add(cg, why+" (auto_create_group)", "logs:CreateLogGroup", groupARN)
				}
			case "firehose", "kinesis_firehose":
				s, ok := opt("delivery_stream")
				stream := Param(name, "DeliveryStream")
				if ok {
					stream = s.Value
				} else {
					s = out2
				}
				add(s, why, "firehose:PutRecordBatch", fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", region, at.Account, stream))
			case "kinesis", "kinesis_streams":
				s, ok := opt("stream")
				stream := Param(name, "KinesisStream")
				if ok {
					stream = s.Value
				} else {
					s = out2
				}
				add(s, why, "kinesis:PutRecords", fmt.Sprintf("arn:aws:kinesis:%s:%s:stream/%s", region, at.Account, stream))
			case "s3":
				b, ok := opt("bucket")
				bucket := Param(name, "LogBucket")
				if ok {
					bucket = b.Value
				} else {
					b = out2
				}
				add(b, why, "s3:PutObject", "arn:aws:s3:::"+bucket+"/*")
			}
		}
		if c.Image != nil && !xray {
			img := strings.ToLower(c.Image.Value)
			if strings.Contains(img, "xray-daemon") || strings.Contains(img, "aws-otel-collector") || strings.Contains(img, "aws-observability/aws-otel") {
				xray = true
				why := "container " + name + ": the X-Ray daemon sends traces with the task role"
				for _, act := range []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"} {
					add(*c.Image, why, act, "*")
				}
			}
		}
	}
	return out
}

// Param names a value of a container the task definition leaves open.
func Param(container, what string) string { return need.Param(need.Identifier(container) + what) }
