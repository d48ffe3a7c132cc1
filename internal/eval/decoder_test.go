package eval

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
)

// decoderSeeds are request documents of the usual shape and around it.
var decoderSeeds = []string{
	`{"principal": "arn:aws:sts::111111111111:assumed-role/deploy/gh", "action": "ecs:UpdateService", "resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/app", "context": {"aws:RequestedRegion": "us-east-1", "aws:MultiFactorAuthPresent": "true"}}`,
	`{"principal":"arn:aws:iam::111111111111:role/deploy","action":"sts:AssumeRole","resource":"arn:aws:iam::111111111111:role/x","resourceAccount":"222222222222"}`,
	`{"anonymous": true, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}`,
	`{"anonymous": false, "principal": "p", "action": "s3:GetObject", "resource": "*", "context": {}}`,
	` { "principal" : "p" , "action" : "a:b" , "resource" : "*" , "context" : { "aws:TagKeys" : [ "a" , "b" ] , "n" : -1.5e+3 , "b" : false , "e" : [ ] } } `,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"aws:TagKeys": "one"}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"K": "1", "k": "2"}, "context": {"x": [1, true, "s"]}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "principal": "q"}`,
	`{"principal": "p\u0041", "action": "a:b", "resource": "*"}`,
	`{"principal": "p\n", "action": "a:b", "resource": "*"}`,
	"{\"principal\": \"p\xff\", \"action\": \"a:b\", \"resource\": \"*\"}",
	`{"principal": "pé", "action": "a:b", "resource": "*"}`,
	`{"principal": "p", "action": "a:b", "resource": "*",}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"a": 01}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"a": null}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"a": [[1]]}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"a": 1.}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"a": -}}`,
	`{"principal": "p", "action": "a:b", "resource": "*", "extra": 1}`,
	`{"principal": "p", "action": "a:*", "resource": "*"}`,
	`{"principal": "p", "action": "ab", "resource": "*"}`,
	`{"principal": "", "action": "a:b", "resource": "*"}`,
	`{"action": "a:b"}`,
	`{"principal": 1, "action": "a:b", "resource": "*"}`,
	`{"anonymous": "yes", "action": "a:b", "resource": "*"}`,
	`{"anonymous": tru, "action": "a:b", "resource": "*"}`,
	`{"principal": "p", "action": "a:b", "resource": "*"} x`,
	`[1]`, `{}`, ``, `{`, `{"`, `{"principal"`, `{"principal":`, `{"principal": "p"`, `{"context": {"a": [1,`,
	`{"principal": "p", "action": "a:b", "resource": "*", "context": {"a": 1e5, "b": 0.25, "c": -0, "d": 2E-3}}`,
}

// requestView is what a decoded request says, for comparing.
type requestView struct {
	Principal, Action, Resource, ResourceAccount string
	Anonymous                                    bool
	HasContext                                   bool
	Context                                      map[string]ContextValue
}

func viewOf(r *Request) requestView {
	v := requestView{Principal: r.Principal, Action: r.Action, Resource: r.Resource,
		ResourceAccount: r.ResourceAccount, Anonymous: r.Anonymous, HasContext: r.Context != nil}
	if r.Context != nil {
		v.Context = map[string]ContextValue{}
		for k, cv := range r.Context.m {
			c := *cv
			if len(c.Values) == 0 {
				c.Values = nil
			}
			v.Context[k] = c
		}
	}
	return v
}

// checkDecoder decodes docs in turn with one decoder and each with
// DecodeRequest, and wants the same requests and the same errors. A
// document the decoder accepts is valid JSON to encoding/json, with the
// same top-level strings.
func checkDecoder(t *testing.T, cat *catalog.Catalog, docs ...string) {
	t.Helper()
	dec := NewRequestDecoder(cat)
	for _, doc := range docs {
		want, wantErr := DecodeRequest([]byte(doc), cat)
		got, gotErr := dec.Decode(doc)
		switch {
		case (wantErr == nil) != (gotErr == nil):
			t.Fatalf("%q: DecodeRequest error %v, decoder error %v", doc, wantErr, gotErr)
		case wantErr != nil:
			if !reflect.DeepEqual(wantErr, gotErr) {
				t.Fatalf("%q: DecodeRequest error %#v, decoder error %#v", doc, wantErr, gotErr)
			}
			continue
		}
		if w, g := viewOf(want), viewOf(got); !reflect.DeepEqual(w, g) {
			t.Fatalf("%q:\nDecodeRequest %+v\ndecoder       %+v", doc, w, g)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			if _, fast := NewRequestDecoder(cat).fast(doc); fast {
				t.Fatalf("%q: the decoder's scanner accepts what encoding/json rejects: %v", doc, err)
			}
			continue
		}
		for k, f := range map[string]string{"principal": got.Principal, "action": got.Action, "resource": got.Resource} {
			if s, ok := m[k].(string); ok && s != f {
				t.Fatalf("%q: encoding/json reads %s %q, the decoder %q", doc, k, s, f)
			}
		}
	}
}

func TestRequestDecoder(t *testing.T) {
	cat := catalog.MustLoad()
	for _, doc := range decoderSeeds {
		checkDecoder(t, cat, doc)
	}
	// One decoder across all of them: nothing of one request stays in the
	// next.
	checkDecoder(t, cat, decoderSeeds...)
	// Many context keys: the values' storage grows while the map points
	// into it.
	var b strings.Builder
	b.WriteString(`{"principal": "p", "action": "a:b", "resource": "*", "context": {`)
	for i := range 40 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"k` + strings.Repeat("x", i) + `": "v"`)
	}
	b.WriteString("}}")
	checkDecoder(t, cat, decoderSeeds[0], b.String(), decoderSeeds[4], b.String())
}

// TestRequestDecoderAllocs: a request of the usual shape is read without
// allocating.
func TestRequestDecoderAllocs(t *testing.T) {
	dec := NewRequestDecoder(catalog.MustLoad())
	doc := decoderSeeds[0]
	if _, err := dec.Decode(doc); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { dec.Decode(doc) }); n != 0 {
		t.Errorf("%v allocations per request, want 0", n)
	}
}

// FuzzRequestDecoder: go test -fuzz FuzzRequestDecoder ./internal/eval.
// The input is up to three documents separated by newlines, decoded in
// turn by one decoder.
func FuzzRequestDecoder(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add(s)
	}
	f.Add(decoderSeeds[0] + "\n" + decoderSeeds[4] + "\n" + decoderSeeds[0])
	cat := catalog.MustLoad()
	f.Fuzz(func(t *testing.T, in string) {
		docs := strings.SplitN(in, "\n", 3)
		checkDecoder(t, cat, docs...)
	})
}

// TestSpecialBytes holds the word test to the byte-wise one: the lowest
// byte marked is the first special byte, for every byte value at every
// position among plain bytes, every pair of special bytes, and random
// words.
func TestSpecialBytes(t *testing.T) {
	first := func(b []byte) int {
		for i, c := range b {
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
				return i
			}
		}
		return 8
	}
	check := func(b []byte) {
		t.Helper()
		got := bits.TrailingZeros64(specialBytes(binary.LittleEndian.Uint64(b))) / 8
		if want := first(b); got != want {
			t.Fatalf("specialBytes(%q): first byte %d, want %d", b, got, want)
		}
	}
	for pos := range 8 {
		for c := range 256 {
			b := []byte("abcdefgh")
			b[pos] = byte(c)
			check(b)
			for pos2 := range 8 {
				for _, c2 := range []byte{0, 0x1f, 0x20, '"', '\\', 0x7f, 0x80, 0xff} {
					b2 := append([]byte(nil), b...)
					b2[pos2] = c2
					check(b2)
				}
			}
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		var b [8]byte
		for i := range b {
			// Mostly plain bytes, so that words with one special byte
			// are common.
			if rnd.IntN(4) == 0 {
				b[i] = byte(rnd.IntN(256))
			} else {
				b[i] = byte(0x20 + rnd.IntN(0x60))
			}
		}
		check(b[:])
	}
}
