package commands

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// show formats a command as "LINE arg arg", quoting args with spaces.
func show(c Command) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(c.Line))
	for _, a := range c.Args {
		b.WriteByte(' ')
		if a == "" || strings.ContainsAny(a, " \t\n\"") {
			a = strconv.Quote(a)
		}
		b.WriteString(a)
	}
	return b.String()
}

func lookupEnv(n string) (string, bool) {
	switch n {
	case "AWS_REGION":
		return "eu-west-1", true
	case "EMPTY":
		return "", true
	}
	return "", false
}

var shellCases = []struct {
	name   string
	script string
	want   []string
}{
	{"today", `set -e
export CLUSTER=prod
SERVICE="web app"
aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com
aws ecs update-service \
  --cluster $CLUSTER \
  --service "${SERVICE}" # comment
echo "image=$(aws sts get-caller-identity --query Account)" >> $GITHUB_OUTPUT
docker push $UNKNOWN:tag && echo done
`, []string{
		"0 set -e",
		"3 aws ecr get-login-password --region us-east-1",
		"3 docker login --username AWS --password-stdin 1.dkr.ecr.us-east-1.amazonaws.com",
		`4 aws ecs update-service --cluster prod --service "web app"`,
		"7 aws sts get-caller-identity --query Account",
		"7 echo image={{$(...)}}",
		"8 docker push {{UNKNOWN}}:tag",
		"8 echo done",
	}},
	{"lists", "a; b && c || d\ne &\n", []string{"0 a", "0 b", "0 c", "0 d", "1 e"}},
	{"pipeline", "a | b |& c", []string{"0 a", "0 b", "0 c"}},
	{"if", `if [ -n "$X" ]; then
  aws s3 cp a s3://b
elif test -f f; then
  aws s3 rm s3://b/c
else
  echo none
fi`, []string{`0 [ -n {{X}} ]`, "1 aws s3 cp a s3://b", "2 test -f f", "3 aws s3 rm s3://b/c", "5 echo none"}},
	{"negation", `if ! aws ecr describe-repositories --repository-names web >/dev/null 2>&1; then
  aws ecr create-repository --repository-name web
fi`, []string{"0 aws ecr describe-repositories --repository-names web", "1 aws ecr create-repository --repository-name web"}},
	{"while", "while ! aws ecs wait services-stable --services web; do sleep 5; done", []string{"0 aws ecs wait services-stable --services web", "0 sleep 5"}},
	{"until", "until curl -f http://x; do\n  sleep 1\ndone", []string{"0 curl -f http://x", "1 sleep 1"}},
	{"case", `case "$ENV" in
  prod) aws ecs update-service --cluster prod ;;
  stg|dev) aws ecs update-service --cluster stg ;;
  *) echo "unknown $ENV" ;;
esac`, []string{"1 aws ecs update-service --cluster prod", "2 aws ecs update-service --cluster stg", `3 echo "unknown {{ENV}}"`}},
	{"block and subshell", "{ a; b; }\n(cd dir && X=1; c $X)\nd $X", []string{"0 a", "0 b", "1 cd dir", "1 c 1", "2 d {{X}}"}},
	{"command substitution", "ID=$(aws sts get-caller-identity --query Account --output text)\naws ecr get-login-password | docker login $ID.dkr.ecr.us-east-1.amazonaws.com", []string{
		"0 aws sts get-caller-identity --query Account --output text",
		"1 aws ecr get-login-password",
		"1 docker login {{ID}}.dkr.ecr.us-east-1.amazonaws.com",
	}},
	{"backticks", "echo `aws sts get-caller-identity` x", []string{"0 aws sts get-caller-identity", "0 echo {{$(...)}} x"}},
	{"nested substitution", `echo "$(basename "$(aws ssm get-parameter --name /p)")"`, []string{"0 aws ssm get-parameter --name /p", "0 basename {{$(...)}}", "0 echo {{$(...)}}"}},
	{"process substitution", "diff <(aws s3 ls s3://a) b", []string{"0 aws s3 ls s3://a", "0 diff {{<(...)}} b"}},
	{"heredoc is no command", "cat <<EOF > out.txt\naws iam delete-role --role-name x\nEOF\naws s3 ls", []string{"0 cat", "3 aws s3 ls"}},
	{"quoted heredoc", "cat <<'EOF'\n$(aws iam delete-role)\nEOF\nb", []string{"0 cat", "3 b"}},
	{"dash heredoc", "if true; then\n\tcat <<-EOF\n\taws x\n\tEOF\nfi\nb", []string{"0 true", "1 cat", "5 b"}},
	{"for literal", "for s in web api 'job runner'; do\n  aws ecs update-service --service \"$s\"\ndone", []string{
		"1 aws ecs update-service --service web",
		"1 aws ecs update-service --service api",
		`1 aws ecs update-service --service "job runner"`,
	}},
	{"for known variable", "SERVICES=\"a b\"\nfor s in $SERVICES; do deploy-$s; done", []string{"1 deploy-a", "1 deploy-b"}},
	{"for unknown list", "for f in $(ls); do aws s3 cp $f s3://b/; done", []string{"0 ls", "0 aws s3 cp {{f}} s3://b/"}},
	{"for glob", "for f in *.json; do aws ecs register-task-definition --cli-input-json file://$f; done", []string{"0 aws ecs register-task-definition --cli-input-json file://{{f}}"}},
	{"for too long", "for i in " + strings.Repeat("x ", MaxLoop+1) + "; do run $i; done", []string{"0 run {{i}}"}},
	{"for array", "svcs=(web api)\nsvcs+=(job)\nfor s in \"${svcs[@]}\"; do up $s; done\necho ${svcs[1]} ${#svcs[@]} $svcs", []string{"2 up web", "2 up api", "2 up job", "3 echo api 3 web"}},
	{"c-style for", "for ((i=0; i<3; i++)); do run $i; done", []string{"0 run {{i}}"}},
	{"function called", `deploy() {
  local svc=$1
  aws ecs update-service --cluster "$CLUSTER" --service "$svc" "${@:2}"
}
CLUSTER=prod
deploy web --force-new-deployment
deploy api`, []string{
		"2 aws ecs update-service --cluster prod --service web --force-new-deployment",
		"2 aws ecs update-service --cluster prod --service api",
	}},
	{"function args", "f() { echo \"$#\" \"$@\" $*; }\nf a 'b c'", []string{`0 echo 2 a "b c" a b c`}},
	{"function never called", "cleanup() { aws s3 rm s3://b/$1; }\necho hi", []string{"1 echo hi", "0 aws s3 rm s3://b/{{1}}"}},
	{"function recursion", "f() { f; aws x; }\nf", []string{"0 f", "0 aws x"}},
	{"function locals", "X=1\nf() { local X=2; echo $X; }\nf\necho $X", []string{"1 echo 2", "3 echo 1"}},
	{"assignments", `A=a B="b $A" C='c $A'
export D=d E
readonly F=f
declare -r G=g
typeset H=h
echo $A $B $C $D $F $G $H`, []string{`5 echo a b a c $A d f g h`}},
	{"prefix assignment", "X=1 cmd $X\necho $X", []string{"0 cmd {{X}}", "1 echo {{X}}"}},
	{"prefix assignment to function", "f() { echo $X; }\nX=1 f\nf", []string{"0 echo 1", "0 echo {{X}}"}},
	{"defaults", `echo ${U:-d} ${U-d} ${EMPTY:-d} ${EMPTY-d} "${U:+alt}" ${AWS_REGION:+alt} ${AWS_REGION:-x}
echo ${V:=set} $V`, []string{`0 echo d d d "" alt eu-west-1`, "1 echo set set"}},
	{"operators", `REF=refs/heads/main SHA=0123456789abcdef IMG=repo/web:tag
echo ${REF#refs/heads/} ${REF##*/} ${IMG%:*} ${IMG%%/*} ${SHA:0:7} ${SHA::4} ${REF/heads/tags} ${IMG//[\/:]/-} ${REF^^} ${#SHA}
echo ${NOPE#x} ${NOPE:0:7}`, []string{
		"1 echo main main repo/web repo 0123456 0123 refs/tags/main repo-web-tag REFS/HEADS/MAIN 16",
		"2 echo {{NOPE}} {{NOPE}}",
	}},
	{"quoting", `echo 'a b' "c $AWS_REGION" $'d\te\x41' e\ f "g\"h" "\$i" '\n'`, []string{`0 echo "a b" "c eu-west-1" "d\teA" "e f" "g\"h" $i \n`}},
	{"line continuation", "aws ecs \\\n  update-service \\\n  --service web\nnext", []string{"0 aws ecs update-service --service web", "3 next"}},
	{"field splitting", "FLAGS='--region us-east-1 --output json'\naws s3 ls $FLAGS \"$FLAGS\"", []string{`1 aws s3 ls --region us-east-1 --output json "--region us-east-1 --output json"`}},
	{"wrappers", "sudo -E -u root aws s3 ls\nenv AWS_REGION=x aws s3 ls\nexec docker push r\nnohup time cmd\ntimeout -s KILL 5m aws ecs wait services-stable\ncommand -v aws", []string{
		"0 aws s3 ls", "1 aws s3 ls", "2 docker push r", "3 cmd", "4 aws ecs wait services-stable", "5 command -v aws",
	}},
	{"eval and sh -c", "eval \"aws s3 ls $AWS_REGION\"\nbash -ec 'aws ecs list-clusters; echo ok'", []string{"0 aws s3 ls eu-west-1", "1 aws ecs list-clusters", "1 echo ok"}},
	{"test clause", `if [[ "$(aws ecs describe-services --query x)" == ACTIVE ]]; then up; fi`, []string{"0 aws ecs describe-services --query x", "0 up"}},
	{"positional at top", "echo $1 $@ $#", []string{"0 echo {{1}} {{@}} {{#}}"}},
	{"arithmetic", "N=$((1+2))\necho $N $((3*4))", []string{"1 echo {{N}} {{$((...))}}"}},
	{"crlf", "a\r\nb x\r\n", []string{"0 a", "1 b x"}},
}

func TestCommands(t *testing.T) {
	for _, tc := range shellCases {
		t.Run(tc.name, func(t *testing.T) {
			cmds, err := Parse(tc.script, lookupEnv)
			if err != nil {
				t.Errorf("error: %v", err)
			}
			var got []string
			for _, c := range cmds {
				got = append(got, show(c))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestCommandsStdinEnvCol(t *testing.T) {
	script := `export AWS_REGION=us-west-2 TAG=v1
cat <<EOF
not stdin of aws
EOF
aws ecs register-task-definition --cli-input-json file://- <<JSON
{"family": "$FAMILY", "tag": "$TAG"}
JSON
  AWS_PROFILE=ci aws sts get-caller-identity <<< "$TAG"
jq . <<'EOF'
{"a": "$TAG"}
EOF
`
	cmds, err := Parse(script, nil)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		line, col int
		args      string
		env       string
		stdin     string
	}
	wants := []want{
		{1, 0, "cat", "AWS_REGION=us-west-2 TAG=v1", "not stdin of aws\n"},
		{4, 0, "aws ecs register-task-definition --cli-input-json file://-", "AWS_REGION=us-west-2 TAG=v1", `{"family": "{{FAMILY}}", "tag": "v1"}` + "\n"},
		{7, 2, "aws sts get-caller-identity", "AWS_PROFILE=ci AWS_REGION=us-west-2 TAG=v1", "v1\n"},
		{8, 0, "jq .", "AWS_REGION=us-west-2 TAG=v1", `{"a": "$TAG"}` + "\n"},
	}
	if len(cmds) != len(wants) {
		t.Fatalf("got %d commands, want %d: %v", len(cmds), len(wants), cmds)
	}
	for i, w := range wants {
		c := cmds[i]
		got := want{c.Line, c.Col, strings.Join(c.Args, " "), strings.Join(c.Env, " "), c.Stdin}
		if got != w {
			t.Errorf("command %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         []string // commands
		err          string   // substring of the error
		line         int
	}{
		{"unterminated quote", "aws s3 ls\naws ecs list-clusters\necho \"oops\naws iam delete-role\n", []string{"0 aws s3 ls", "1 aws ecs list-clusters"}, "reached EOF without closing quote", 2},
		{"missing fi", "a\nif b; then\n  c\n", []string{"0 a", "1 b", "2 c"}, "`if` statement must end with `fi`", 1},
		{"stray done", "a\ndone\nb", []string{"0 a"}, "done", 1},
		{"too deep", "a\n" + strings.Repeat("(", MaxNesting+5) + "b" + strings.Repeat(")", MaxNesting+5) + "\nc", []string{"0 a"}, "nested more than", 1},
		{"too deep arithmetic", "a\necho $(((" + strings.Repeat("(", 300000), []string{"0 a"}, "nested more than", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, err := Parse(tc.script, nil)
			var got []string
			for _, c := range cmds {
				got = append(got, show(c))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want an *Error", err)
			}
			if !strings.Contains(e.Msg, tc.err) || e.Line != tc.line {
				t.Errorf("error %v (line %d), want %q on line %d", err, e.Line, tc.err, tc.line)
			}
			if cmds2 := Commands(tc.script, nil); len(cmds2) != len(cmds) {
				t.Errorf("Commands returned %d commands, Parse %d", len(cmds2), len(cmds))
			}
		})
	}
}

func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		max          int // most commands
	}{
		{"nested loops", strings.Repeat("for a in "+strings.Repeat("x ", MaxLoop)+"; do\n", 6) + "aws s3 ls $a\n" + strings.Repeat("done\n", 6), MaxCommands},
		{"doubling", "X=ab\n" + strings.Repeat("X=$X$X$X$X\n", 40) + "echo $X", 1},
		{"function fan-out", "f0() { echo; }\n" + func() string {
			var b strings.Builder
			for i := 1; i < 30; i++ {
				fmt.Fprintf(&b, "f%d() { f%d; f%d; }\n", i, i-1, i-1)
			}
			return b.String()
		}() + "f29", MaxCommands},
		{"long script", strings.Repeat("aws s3 ls\n", MaxScript/10+10), MaxCommands},
		{"huge heredoc", "cat <<EOF\n" + strings.Repeat("$X $X $X\n", 100000) + "EOF\naws s3 ls", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, err := Parse(tc.script, nil)
			if len(cmds) > tc.max {
				t.Errorf("%d commands, want at most %d", len(cmds), tc.max)
			}
			for _, c := range cmds {
				for _, a := range c.Args {
					if len(a) > maxValue {
						t.Errorf("arg of %d bytes", len(a))
					}
				}
			}
			t.Logf("%d commands, error %v", len(cmds), err)
		})
	}
}

func ExampleCommands() {
	script := `for svc in web api; do
  aws ecs update-service --cluster "${CLUSTER:-prod}" --service "$svc"
done`
	for _, c := range Commands(script, nil) {
		fmt.Println(c.Line, strings.Join(c.Args, " "))
	}
	// Output:
	// 1 aws ecs update-service --cluster prod --service web
	// 1 aws ecs update-service --cluster prod --service api
}

// TestHostile reads 1 MiB scripts of one nesting form repeated: each is
// cut at the nesting limit (or fails to parse) quickly, without a stack
// overflow.
func TestHostile(t *testing.T) {
	for _, unit := range []string{"(", "((", "$(((", "( echo done; ", "case x in a) ", "{ echo \"}\"; ", "( echo \")\"; ", "f() ", "$( ", "${a:-", "\"$(", "if a; then ", "[[ ", "x=( ", "`", "cat <<E\n"} {
		script := strings.Repeat(unit, MaxScript/len(unit))
		start := time.Now()
		cmds, err := Parse(script, nil)
		if d := time.Since(start); d > 5*time.Second*raceSlowdown {
			t.Errorf("%q: %v", unit, d)
		}
		t.Logf("%q: %d commands in %v (%v)", unit, len(cmds), time.Since(start), firstLine(err))
	}
}

func firstLine(err error) string {
	if err == nil {
		return "no error"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
