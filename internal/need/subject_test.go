package need

import (
	"reflect"
	"testing"
)

func TestParseGitHubSubject(t *testing.T) {
	tests := []struct {
		in   string
		want GitHubSubject
		ok   bool
	}{
		{"repo:octo/shop:ref:refs/heads/main", GitHubSubject{Owner: "octo", Repo: "shop", Context: "ref:refs/heads/main"}, true},
		{"repo:octo@123/shop@456:environment:prod", GitHubSubject{Owner: "octo", OwnerID: "123", Repo: "shop", RepoID: "456", Context: "environment:prod"}, true},
		{"repo:octo/shop:*", GitHubSubject{Owner: "octo", Repo: "shop", Context: "*"}, true},
		{"repo:octo:ref:x", GitHubSubject{}, false},
		{"system:serviceaccount:a:b", GitHubSubject{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseGitHubSubject(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: %+v %v", tt.in, got, ok)
		}
		if ok && got.String() != tt.in {
			t.Errorf("%s: String %s", tt.in, got.String())
		}
	}
}

func TestSubjectForms(t *testing.T) {
	const classic = "repo:octo/shop:ref:refs/heads/main"
	tests := []struct {
		value, other string
		want         []string
	}{
		// A classic value takes the ids the other names for its repository.
		{classic, "repo:octo@1/shop@2:ref:refs/heads/main", []string{classic, "repo:octo@1/shop@2:ref:refs/heads/main"}},
		{classic, "repo:Octo@1/Shop@2:*", []string{classic, "repo:octo@1/shop@2:ref:refs/heads/main"}},
		// Another repository, a classic other, a wildcard id, an immutable
		// value: no other form.
		{classic, "repo:octo@1/blog@3:ref:refs/heads/main", []string{classic}},
		{classic, "repo:octo/shop:*", []string{classic}},
		{classic, "repo:octo@*/shop@*:*", []string{classic}},
		{"repo:octo@1/shop@2:pull_request", classic, []string{"repo:octo@1/shop@2:pull_request"}},
	}
	for _, tt := range tests {
		if got := SubjectForms(tt.value, tt.other); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SubjectForms(%q, %q) = %q, want %q", tt.value, tt.other, got, tt.want)
		}
	}
}
