package commands

import (
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// TestDockerImages: pushes and pulls of ECR images, the registry read
// part by part (a parameter with dots in its name is one part), and a
// registry the files do not determine reported, never dropped in silence.
func TestDockerImages(t *testing.T) {
	const repo = "arn:aws:ecr:us-west-2:111122223333:repository/"
	push := func(r string) []string {
		var out []string
		for _, a := range ecrPush {
			out = append(out, a+" "+r)
		}
		return out
	}
	for _, tt := range []struct {
		name, script string
		want         []string
		warn         string
	}{
		{"literal registry", "docker push 111122223333.dkr.ecr.us-west-2.amazonaws.com/web:1", push(repo + "web"), ""},
		{"a parameter with dots in the host", "docker push 111122223333.dkr.ecr.{{matrix.region}}.amazonaws.com/web:{{github.sha}}",
			push("arn:aws:ecr:{{matrix.region}}:111122223333:repository/web"), ""},
		{"pull", "docker pull 111122223333.dkr.ecr.us-west-2.amazonaws.com/base:1",
			[]string{"ecr:BatchGetImage " + repo + "base", "ecr:GetDownloadUrlForLayer " + repo + "base"}, ""},
		{"unknown registry host", "docker push {{ECR_REGISTRY}}/web:latest", nil, `cannot tell the registry of image "{{ECR_REGISTRY}}/web:latest"`},
		{"unknown image", "docker push {{IMAGE}}", nil, `cannot tell the registry of image "{{IMAGE}}"`},
		{"another registry", "docker push ghcr.io/o/web:1", nil, ""},
		{"another registry, unknown path", "docker push ghcr.io/{{OWNER}}/web:1", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := &fakeEnv{}
			Script(env, tt.script, 1, source.Pos{Line: 1}, nil)
			got := dedupe(env.needs)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("needs:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			warned := tt.warn == ""
			for _, w := range env.warns {
				if tt.warn == "" {
					t.Errorf("unexpected diagnostic: %s", w)
				} else if strings.Contains(w, tt.warn) {
					warned = true
				}
			}
			if !warned {
				t.Errorf("no diagnostic with %q in %q", tt.warn, env.warns)
			}
		})
	}
}
