package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainFixGolden explains each message of testdata/explain/*.txt and
// compares with NAME.golden (text) and NAME.json.golden (--format json);
// -update rewrites them. Each message names a resource of one run (a task
// definition revision, a task, a task set, a task's log stream, an image
// digest, a stack id): the fix names what the next run uses, and says so;
// service-kept names a resource that does not change from run to run.
func TestExplainFixGolden(t *testing.T) {
	msgs, err := filepath.Glob("testdata/explain/*.txt")
	if err != nil || len(msgs) == 0 {
		t.Fatal(msgs, err)
	}
	for _, m := range msgs {
		name := strings.TrimSuffix(m, ".txt")
		msg, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"text", "json"} {
			t.Run(filepath.Base(name)+"/"+format, func(t *testing.T) {
				var out, errb bytes.Buffer
				c := Command{Stdin: bytes.NewReader(msg), Stdout: &out, Stderr: &errb}
				if code := c.Main([]string{"explain", "--format", format}); code != ExitOK {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				golden := name + ".golden"
				if format == "json" {
					golden = name + ".json.golden"
					checkExplainJSON(t, out.Bytes())
				}
				checkGolden(t, golden, out.Bytes())
				generalized := strings.Contains(out.String(), "generalized ")
				if generalized == strings.HasSuffix(name, "-kept") {
					t.Errorf("generalized: %v\n%s", generalized, out.String())
				}
			})
		}
	}
}

// TestExplainJSONLog: explain --format json on a log carries the web
// identity diagnosis and what the read saw.
func TestExplainJSONLog(t *testing.T) {
	var out, errb bytes.Buffer
	c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
	args := []string{"explain", "--format", "json", "--cloudtrail", "testdata/webid/forms/oidc-arn.json", "--trust", "testdata/webid/trust-production.json"}
	if code := c.Main(args); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := checkExplainJSON(t, out.Bytes())
	checkGolden(t, "testdata/webid/forms/oidc-arn.json.golden", out.Bytes())
	if len(got.Denials) != 2 || got.Log == nil || got.Log.Records != 2 {
		t.Fatalf("%+v", got)
	}
	wi := got.Denials[1].WebIdentity
	if wi == nil || !wi.Admitted || !strings.HasPrefix(wi.Reasons[0], "the trust policy admits this token") {
		t.Errorf("%+v", wi)
	}
	if tok := got.Denials[1].Token; tok == nil || tok.Issuer != "token.actions.githubusercontent.com" || tok.ProviderARN == "" || tok.Audience != "sts.amazonaws.com" {
		t.Errorf("%+v", tok)
	}
	if c.Main([]string{"explain", "--format", "xml", "x"}) != ExitUsage {
		t.Error("an unknown format is bad usage")
	}
}

// explainJSON is the part of explain's JSON (docs/explain-json.md) the
// tests read.
type explainJSON struct {
	Version int `json:"version"`
	Denials []struct {
		Action string `json:"action"`
		Token  *struct {
			Issuer      string `json:"issuer"`
			ProviderARN string `json:"providerArn"`
			Audience    string `json:"audience"`
		} `json:"token"`
		WebIdentity *struct {
			Admitted bool     `json:"admitted"`
			Reasons  []string `json:"reasons"`
		} `json:"webIdentity"`
		Fix *struct {
			Statement   json.RawMessage `json:"statement"`
			Generalized *struct{ From, To, Why string }
		} `json:"fix"`
	} `json:"denials"`
	Log *struct {
		Records int `json:"records"`
	} `json:"log"`
}

func checkExplainJSON(t *testing.T, data []byte) explainJSON {
	t.Helper()
	var got explainJSON
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	if got.Version != 1 || len(got.Denials) == 0 {
		t.Errorf("version %d, %d denials", got.Version, len(got.Denials))
	}
	for _, d := range got.Denials {
		if g := d.Fix; g != nil && g.Generalized != nil && !bytes.Contains(g.Statement, []byte(g.Generalized.To)) {
			t.Errorf("the statement does not grant %s: %s", g.Generalized.To, g.Statement)
		}
	}
	return got
}
