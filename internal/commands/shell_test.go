package commands

import (
	"reflect"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	script := `set -e
export CLUSTER=prod
SERVICE="web app"
aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com
aws ecs update-service \
  --cluster $CLUSTER \
  --service "${SERVICE}" # comment
echo "image=$(aws sts get-caller-identity --query Account)" >> $GITHUB_OUTPUT
docker push $UNKNOWN:tag && echo done
`
	got := Commands(script, func(n string) (string, bool) { return "", false })
	var lines []string
	for _, c := range got {
		lines = append(lines, strings.Join(c.Args, " ")+"@"+string(rune('0'+c.Line)))
	}
	want := []string{
		"set -e@0",
		"aws ecr get-login-password --region us-east-1@3",
		"docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com@3",
		"aws ecs update-service --cluster prod --service web app@4",
		"echo image=$(aws sts get-caller-identity --query Account) >> {{GITHUB_OUTPUT}}@7",
		"aws sts get-caller-identity --query Account@7",
		"docker push {{UNKNOWN}}:tag@8",
		"echo done@8",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func FuzzCommands(f *testing.F) {
	f.Add("aws ecs update-service --cluster \"$C\" --service ${S:-x} | tee $(echo a) && b; c || d\n")
	f.Add("X='it''s' Y=\"a \\\" b\" cmd $X\\\n  more")
	f.Fuzz(func(t *testing.T, script string) {
		Commands(script, func(string) (string, bool) { return "v", true })
	})
}
