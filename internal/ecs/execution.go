package ecs

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Where tells the execution role needs where the task runs.
type Where struct {
	Region, Account string // defaults for names and ARNs without them
}

// ExecutionNeeds returns what ECS needs the task execution role for, to
// start this task definition's containers: pulling private ECR images,
// writing awslogs, reading secrets, environment files and private
// registry credentials. Public registries need nothing.
//
// An image that names no registry iamfit can read (a template reference,
// a placeholder the deploy replaces) may be a private ECR image: its
// pull is granted on a repository parameter and a warning names it, so
// the task does not fail to start for want of a pull nobody saw.
func ExecutionNeeds(td *TaskDefinition, at Where) ([]need.Need, []source.Diagnostic) {
	var out []need.Need
	var diags []source.Diagnostic
	file := td.File.Name
	add := func(pos String, why, action, resource string, conds ...need.Cond) {
		out = append(out, need.Need{Action: action, Resource: resource, Conditions: conds, Why: why, File: file, Pos: pos.Pos})
	}
	token := false
	for _, c := range td.Containers {
		file = containerFile(td, c)
		name := c.Name
		if c.Image != nil {
			if acct, region, repo, ok := ecrRepository(c.Image.Value); ok {
				if !token {
					add(*c.Image, "container "+name+": authenticate to ECR", "ecr:GetAuthorizationToken", "*")
					token = true
				}
				repoARN := fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", region, acct, repo)
				add(*c.Image, "container "+name+": pull "+c.Image.Value, "ecr:BatchGetImage", repoARN)
				add(*c.Image, "container "+name+": pull "+c.Image.Value, "ecr:GetDownloadUrlForLayer", repoARN)
			} else if unresolvedImage(c.Image.Value) {
				param := need.Param(need.Identifier(name) + "ImageRepository")
				diags = append(diags, source.Diagnostic{File: file, Pos: c.Image.Pos, Severity: source.Warning, Check: "unresolved-image",
					Message: fmt.Sprintf("container %s: the image %q names no registry iamfit can read; the execution role may pull it from ECR repository %s (give it with --var)", name, c.Image.Value, param)})
				if !token {
					add(*c.Image, "container "+name+": authenticate to ECR", "ecr:GetAuthorizationToken", "*")
					token = true
				}
				repoARN := fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", at.Region, at.Account, param)
				add(*c.Image, "container "+name+": pull "+c.Image.Value+" (unresolved)", "ecr:BatchGetImage", repoARN)
				add(*c.Image, "container "+name+": pull "+c.Image.Value+" (unresolved)", "ecr:GetDownloadUrlForLayer", repoARN)
			}
		} else {
			diags = append(diags, source.Diagnostic{File: file, Pos: c.Pos, Severity: source.Warning, Check: "unresolved-image",
				Message: fmt.Sprintf("container %s has no image: its pull is not included", name)})
		}
		if c.LogDriver == "awslogs" {
			group, ok := c.LogOptions["awslogs-group"]
			if ok {
				region := at.Region
				if r, ok := c.LogOptions["awslogs-region"]; ok && r.Value != "" && (arn.ValidRegion(r.Value) || need.HasParams(r.Value)) {
					region = r.Value // not a placeholder (REPLACE_ME_REGION): that is the task's region, a parameter
				}
				prefix := "*"
				if p, ok := c.LogOptions["awslogs-stream-prefix"]; ok && p.Value != "" {
					prefix = p.Value + "/*"
				}
				groupARN := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, at.Account, literal(group.Value))
				streams := groupARN + ":log-stream:" + literal(prefix)
				add(group, "container "+name+": awslogs streams in "+group.Value, "logs:CreateLogStream", streams)
				add(group, "container "+name+": awslogs events in "+group.Value, "logs:PutLogEvents", streams)
				if cg, ok := c.LogOptions["awslogs-create-group"]; ok && strings.EqualFold(cg.Value, "true") {
					add(cg, "container "+name+": awslogs-create-group", "logs:CreateLogGroup", groupARN)
				}
			}
		}
		for _, s := range c.Secrets {
			action, res := secretSource(s.ValueFrom.Value, at)
			add(s.ValueFrom, "container "+name+": secret "+s.Name, action, res)
		}
		for _, s := range c.LogSecrets {
			action, res := secretSource(s.ValueFrom.Value, at)
			add(s.ValueFrom, "container "+name+": log configuration secret "+s.Name, action, res)
		}
		for _, ef := range c.EnvironmentFiles {
			bucket, _, _ := strings.Cut(strings.TrimPrefix(ef.Value, "arn:aws:s3:::"), "/")
			add(ef, "container "+name+": environment file "+ef.Value, "s3:GetObject", ef.Value)
			add(ef, "container "+name+": environment file's bucket location", "s3:GetBucketLocation", "arn:aws:s3:::"+bucket)
		}
		if fl := c.FirelensConfigS3; fl != nil {
			bucket, _, _ := strings.Cut(strings.TrimPrefix(fl.Value, "arn:aws:s3:::"), "/")
			add(*fl, "container "+name+": FireLens configuration file", "s3:GetObject", fl.Value)
			add(*fl, "container "+name+": FireLens configuration file's bucket location", "s3:GetBucketLocation", "arn:aws:s3:::"+bucket)
		}
		if rc := c.RepositoryCredentials; rc != nil {
			action, res := secretSource(rc.Value, at)
			add(*rc, "container "+name+": private registry credentials", action, res)
		}
	}
	return out, diags
}

// containerFile is the name of the file a container's definition is in.
func containerFile(td *TaskDefinition, c Container) string {
	if c.File != "" {
		return c.File
	}
	return td.File.Name
}

// unresolvedImage reports an image reference that is not a plain public
// one: a template reference or placeholder where the real image goes.
func unresolvedImage(ref string) bool {
	if ref == "" || strings.ContainsAny(ref, "{}<>$") {
		return true
	}
	return strings.Contains(ref, ".dkr.ecr.") // an ECR host iamfit could not read
}

// literal keeps a name with "${...}" in it (an awslogs-stream-prefix such
// as "${prefix-name}" is text, not a policy variable) from being read as a
// policy variable: each "${...}" becomes "*", which matches it.
func literal(s string) string { return policyVarRe().ReplaceAllString(s, "*") }

var policyVarRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{[^}]*\}`) })

// ecrRepository recognises a private ECR image reference.
func ecrRepository(ref string) (account, region, repo string, ok bool) {
	account, region, repo, public, ok := ECRImage(ref)
	return account, region, repo, ok && !public
}

// secretSource maps a valueFrom to the call that reads it: an SSM
// parameter name or ARN (ssm:GetParameters), or a Secrets Manager ARN,
// possibly with a JSON key and version suffix (secretsmanager:GetSecretValue
// on the secret itself).
func secretSource(valueFrom string, at Where) (action, resource string) {
	// Split, not Parse: the region and account may be parameters (a
	// CloudFormation secret's ARN in a stack whose region is not known).
	if p, ok := arn.Split(valueFrom); ok && p[0] == "arn" {
		switch p[2] {
		case "secretsmanager":
			// arn:aws:secretsmanager:R:A:secret:NAME-AbCdEf[:json-key:version-stage:version-id]
			parts := strings.SplitN(p[5], ":", 3)
			name := parts[0]
			if len(parts) > 1 {
				name += ":" + parts[1]
			}
			if !hasRandomSuffix(name) {
				name += "-??????"
			}
			return "secretsmanager:GetSecretValue", strings.Join(p[:5], ":") + ":" + name
		case "ssm":
			return "ssm:GetParameters", valueFrom
		}
	}
	return "ssm:GetParameters", fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", at.Region, at.Account, strings.TrimPrefix(valueFrom, "/"))
}

// hasRandomSuffix reports whether a secret name "secret:NAME-AbCdEf" ends
// with the six random characters Secrets Manager appends.
func hasRandomSuffix(res string) bool {
	i := strings.LastIndexByte(res, '-')
	return i > 0 && len(res)-i-1 == 6
}
