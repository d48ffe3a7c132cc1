package usage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
)

func TestPathPrefix(t *testing.T) {
	tests := []struct {
		res, want string
		ok        bool
	}{
		{"arn:aws:s3:::reports/daily/1.csv", "arn:aws:s3:::reports/daily/", true},
		{"arn:aws:s3:::reports/1.csv", "arn:aws:s3:::reports/", true},
		{"arn:aws:s3:::reports", "", false},
		{"arn:aws:ecs:us-east-1:1:service/prod/web", "arn:aws:ecs:us-east-1:1:service/prod/", true},
		{"arn:aws:ecr:us-east-1:1:repository/web", "", false},
		{"arn:aws:ecr:us-east-1:1:repository/*", "", false},
		{"*", "", false},
		{"arn:aws:sqs:us-east-1:1:queue", "", false},
	}
	for _, tt := range tests {
		got, ok := pathPrefix(tt.res)
		if got != tt.want || ok != tt.ok {
			t.Errorf("pathPrefix(%q) = %q, %v; want %q, %v", tt.res, got, ok, tt.want, tt.ok)
		}
	}
}

func s3Get(key string, at time.Time, errCode string) *cloudtrail.Record {
	r := &cloudtrail.Record{EventSource: "s3.amazonaws.com", EventName: "GetObject", AWSRegion: "us-east-1",
		RecipientAccount: "1", EventTime: at, ErrorCode: errCode,
		RawParameters: json.RawMessage(fmt.Sprintf(`{"bucketName": "reports", "key": %q}`, key))}
	return r
}

func TestAggregator(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	a := &Aggregator{Cat: cat, File: "trail", MaxPerPrefix: 3, To: t0.Add(time.Hour)}
	for i := 0; i < 5; i++ {
		a.Add(s3Get(fmt.Sprintf("daily/%d.csv", i), t0.Add(time.Duration(i)*time.Minute), ""))
	}
	a.Add(s3Get("daily/0.csv", t0.Add(10*time.Minute), ""))
	a.Add(s3Get("monthly/1.csv", t0, ""))
	a.Add(s3Get("daily/9.csv", t0, "AccessDenied"))
	a.Add(s3Get("daily/9.csv", t0, "ThrottlingException"))
	a.Add(s3Get("late.csv", t0.Add(2*time.Hour), "")) // outside the window
	a.Add(&cloudtrail.Record{EventSource: "s3.amazonaws.com", EventName: "NoSuchCall", EventTime: t0})

	var got []string
	for _, n := range a.Needs() {
		got = append(got, n.Action+" "+n.Resource+" | "+n.Why)
	}
	want := []string{
		"s3:GetObject arn:aws:s3:::reports/daily/* | s3.amazonaws.com GetObject: 6 calls, 2026-11-01T00:00Z to 2026-11-01T00:10Z; more than 3 resources under arn:aws:s3:::reports/daily/, generalised (--max-resources)",
		"s3:GetObject arn:aws:s3:::reports/monthly/1.csv | s3.amazonaws.com GetObject: 1 calls, 2026-11-01T00:00Z to 2026-11-01T00:00Z",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("needs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if a.Kept != 7 || a.Denied != 1 || a.Other != 1 || a.Unknown != 1 {
		t.Errorf("kept %d denied %d other %d unknown %d; want 7 1 1 1", a.Kept, a.Denied, a.Other, a.Unknown)
	}
	if u := a.UnknownList(); len(u) != 1 || !strings.HasPrefix(u[0], "s3:NoSuchCall: ") {
		t.Errorf("unknown events %q", u)
	}
}

func TestNeeds(t *testing.T) {
	cat := catalog.MustLoad()
	var got []string
	var log bytes.Buffer
	if err := cloudtrail.Synthetic(&log, cloudtrail.SyntheticOptions{Records: 400, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cloudtrail.Decode(&log, func(r *cloudtrail.Record) error {
		if cloudtrail.Caller(r) != "arn:aws:iam::123456789012:role/gh-deploy" || r.ErrorCode != "" {
			return nil
		}
		ns, err := Needs(r, "log", cat)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			s := n.Action + " " + n.Resource
			for _, c := range n.Conditions {
				s += " [" + c.Key + "]"
			}
			got = append(got, s)
		}
		return nil
	})
	want := map[string]bool{
		"ecr:GetAuthorizationToken *":                                                         true,
		"ecr:PutImage arn:aws:ecr:us-east-1:123456789012:repository/web":                      true,
		"ecs:RegisterTaskDefinition arn:aws:ecs:us-east-1:123456789012:task-definition/web:*": true,
		"iam:PassRole arn:aws:iam::123456789012:role/web-task [iam:PassedToService]":          true,
		"ecs:UpdateService arn:aws:ecs:us-east-1:123456789012:service/prod/web":               true,
		"ecs:DescribeServices arn:aws:ecs:us-east-1:123456789012:service/prod/web":            true,
	}
	seen := map[string]bool{}
	for _, g := range got {
		seen[g] = true
	}
	for w := range want {
		if !seen[w] {
			t.Errorf("missing need %s", w)
		}
	}
}
