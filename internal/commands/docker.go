package commands

import (
	"strings"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Push and pull actions for an ECR repository. Pushing checks which layers
// exist, uploads the missing ones and puts the manifest; pulling reads the
// manifest and the layers' download URLs.
var (
	ecrPush       = []string{"ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"}
	ecrPull       = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}
	ecrPublicPush = []string{"ecr-public:BatchCheckLayerAvailability", "ecr-public:InitiateLayerUpload", "ecr-public:UploadLayerPart", "ecr-public:CompleteLayerUpload", "ecr-public:PutImage"}
)

// Image records pushing (or pulling) an image to (from) ECR.
func Image(env Env, pos source.Pos, why, ref string, push bool) {
	account, region, repo, public, ok := ecs.ECRImage(ref)
	if !ok {
		// A registry the files do not determine ({{ECR_REGISTRY}}/web,
		// or a whole {{IMAGE}}) may be ECR: say so rather than drop it.
		host, _, found := strings.Cut(ref, "/")
		if need.HasParams(ref) && (!found || need.HasParams(host)) {
			env.Warnf(pos, "unknown-image", "cannot tell the registry of image %q; if it is in ECR, its needs are missing", ref)
		}
		return
	}
	if public {
		if push {
			for _, act := range ecrPublicPush {
				env.Add(pos, why, act, "arn:aws:ecr-public::"+env.Account()+":repository/"+repo)
			}
		}
		return
	}
	arnStr := "arn:aws:ecr:" + region + ":" + account + ":repository/" + repo
	acts := ecrPull
	if push {
		acts = ecrPush
	}
	for _, act := range acts {
		env.Add(pos, why, act, arnStr)
	}
}

// docker reads a docker command line.
func docker(env Env, pos source.Pos, args []string) {
	if len(args) < 2 {
		return
	}
	sub := args[1]
	rest := args[2:]
	if sub == "buildx" && len(args) > 2 {
		sub, rest = args[2], args[3:]
	}
	line := strings.Join(args, " ")
	switch sub {
	case "push":
		for _, r := range rest {
			if !strings.HasPrefix(r, "-") {
				Image(env, pos, line, r, true)
				return
			}
		}
	case "pull":
		for _, r := range rest {
			if !strings.HasPrefix(r, "-") {
				Image(env, pos, line, r, false)
				return
			}
		}
	case "build":
		push := false
		var tags []string
		for i := 0; i < len(rest); i++ {
			switch r := rest[i]; {
			case r == "--push" || r == "--output=type=registry":
				push = true
			case (r == "-t" || r == "--tag") && i+1 < len(rest):
				tags = append(tags, rest[i+1])
				i++
			case strings.HasPrefix(r, "--tag="):
				tags = append(tags, strings.TrimPrefix(r, "--tag="))
			}
		}
		if push {
			for _, t := range tags {
				Image(env, pos, line, t, true)
			}
		}
	}
}
