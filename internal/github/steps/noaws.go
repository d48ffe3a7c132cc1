package steps

import "github.com/iamfit/iamfit/internal/github"

// quietActions make no AWS call with the job's credentials: checkouts,
// toolchain and CLI installers, caches, artifacts, metadata, notifications
// and GitHub-side automation.
var quietActions = []string{
	"actions/checkout", "actions/setup-node", "actions/setup-python", "actions/setup-go", "actions/setup-java",
	"actions/setup-dotnet", "actions/cache", "actions/upload-artifact", "actions/download-artifact",
	"actions/github-script", "actions/labeler", "actions/stale", "actions/create-release", "actions/upload-release-asset",
	"actions/attest-build-provenance", "actions/dependency-review-action", "actions/configure-pages",
	"docker/setup-buildx-action", "docker/setup-qemu-action", "docker/metadata-action",
	"hashicorp/setup-terraform", "kayac/ecspresso", "pnpm/action-setup", "ruby/setup-ruby", "oven-sh/setup-bun",
	"denoland/setup-deno", "gradle/actions", "gradle/gradle-build-action", "astral-sh/setup-uv", "dtolnay/rust-toolchain",
	"azure/setup-helm", "azure/setup-kubectl", "sigstore/cosign-installer", "anchore/sbom-action", "aquasecurity/trivy-action",
	"softprops/action-gh-release", "peter-evans/create-pull-request", "peter-evans/create-or-update-comment",
	"slackapi/slack-github-action", "8398a7/action-slack", "rtcamp/action-slack-notify", "dorny/paths-filter",
	"tj-actions/changed-files", "mikefarah/yq", "crazy-max/ghaction-import-gpg", "actions-rs/toolchain",
	"actions/setup-ruby", "shivammathur/setup-php", "subosito/flutter-action", "jwalton/gh-find-current-pr",
	"marocchino/sticky-pull-request-comment", "thollander/actions-comment-pull-request", "mshick/add-pr-comment",
	"aws-actions/setup-sam", "swatinem/rust-cache", "getsentry/action-release", "jpribyl/action-docker-layer-caching",
	"satackey/action-docker-layer-caching", "codecov/codecov-action", "github/codeql-action",
}

// quiet returns the no-call knowledge of quietActions.
func quiet() []*github.Action {
	out := make([]*github.Action, 0, len(quietActions))
	for _, name := range quietActions {
		out = append(out, &github.Action{Name: name, NoAWS: true, Doc: "no AWS call"})
	}
	return out
}
