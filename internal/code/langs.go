package code

import (
	"regexp"
	"strings"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/source"
)

// Go: aws-sdk-go-v2. The service is the package imported from
// github.com/aws/aws-sdk-go-v2/service/NAME (under its alias); a call is
// the construction of its &pkg.OperationInput{...}.
var (
	goImportRe = regexp.MustCompile(`(?m)^\s*(?:import\s+)?(\w+\s+)?"github\.com/aws/aws-sdk-go-v2/service/([a-z0-9]+)"`)
	goInputRe  = regexp.MustCompile(`&(\w+)\.(\w+)Input\s*\{`)
)

func scanGo(f *source.File) []Call {
	text := string(f.Data)
	if !strings.Contains(text, "aws-sdk-go-v2/service/") {
		return nil
	}
	pkgs := map[string]string{} // alias -> service
	for _, m := range goImportRe.FindAllStringSubmatch(text, -1) {
		alias := strings.TrimSpace(m[1])
		if alias == "" {
			alias = m[2]
		}
		pkgs[alias] = m[2]
	}
	if len(pkgs) == 0 {
		return nil
	}
	var out []Call
	for _, loc := range goInputRe.FindAllStringSubmatchIndex(text, -1) {
		alias := text[loc[2]:loc[3]]
		svc, ok := pkgs[alias]
		if !ok {
			continue
		}
		lits, envs := args(block(text, loc[1]-1))
		out = append(out, Call{Service: svc, Operation: text[loc[4]:loc[5]], Args: lits, Env: envs,
			File: f.Name, Line: lineOf(f.Data, loc[0]), Lang: "go"})
	}
	return out
}

// Python: boto3. Clients are variables assigned boto3.client('svc') (or
// session.client), resources boto3.resource('svc'); DynamoDB tables and S3
// buckets are resource.Table('name') and resource.Bucket('name').
var (
	pyClientRe      = regexp.MustCompile(`(?m)([\w.]+)\s*=\s*(?:\w+\.)*client\(\s*(?:service_name\s*=\s*)?['"]([\w-]+)['"]`)
	pyResourceRe    = regexp.MustCompile(`(?m)([\w.]+)\s*=\s*(?:\w+\.)*resource\(\s*(?:service_name\s*=\s*)?['"]([\w-]+)['"]`)
	pyTableRe       = regexp.MustCompile(`(?m)([\w.]+)\s*=\s*([\w.]+)\.(Table|Bucket|Queue)\(\s*(?:['"]([^'"]+)['"]|os\.environ\[\s*['"](\w+)['"]\s*\]|os\.environ\.get\(\s*['"](\w+)['"]|os\.getenv\(\s*['"](\w+)['"])`)
	pyInlineTableRe = regexp.MustCompile(`(?m)([\w.]+)\s*=\s*(?:\w+\.)*resource\(\s*['"]([\w-]+)['"][^)]*\)\.(Table|Bucket|Queue)\(\s*(?:['"]([^'"]+)['"]|os\.environ\[\s*['"](\w+)['"]\s*\]|os\.environ\.get\(\s*['"](\w+)['"]|os\.getenv\(\s*['"](\w+)['"])`)
	pyInlineRe      = regexp.MustCompile(`(?:\w+\.)*client\(\s*['"]([\w-]+)['"][^)]*\)\.([a-z_]+)\(`)
	pyCallRe        = regexp.MustCompile(`([\w.]+)\.([a-z][a-z0-9_]*)\(`)
)

// dynamoTableOps are the Table resource's methods and their operations.
var dynamoTableOps = map[string]string{
	"get_item": "GetItem", "put_item": "PutItem", "update_item": "UpdateItem", "delete_item": "DeleteItem",
	"query": "Query", "scan": "Scan", "batch_writer": "BatchWriteItem",
}

func scanPython(f *source.File) []Call {
	text := string(f.Data)
	if !strings.Contains(text, "boto3") {
		return nil
	}
	clients := map[string]string{}
	for _, m := range pyClientRe.FindAllStringSubmatch(text, -1) {
		clients[m[1]] = m[2]
	}
	resources := map[string]string{}
	for _, m := range pyResourceRe.FindAllStringSubmatch(text, -1) {
		resources[m[1]] = m[2]
	}
	type handle struct {
		service, kind, name, env string
	}
	handles := map[string]handle{}
	for _, m := range pyTableRe.FindAllStringSubmatch(text, -1) {
		svc, ok := resources[m[2]]
		if !ok {
			continue
		}
		env := m[5] + m[6] + m[7]
		handles[m[1]] = handle{svc, m[3], m[4], env}
	}
	for _, m := range pyInlineTableRe.FindAllStringSubmatch(text, -1) {
		handles[m[1]] = handle{m[2], m[3], m[4], m[5] + m[6] + m[7]}
	}
	var out []Call
	add := func(svc, op string, off int, callText string, extraLit map[string][]string, extraEnv map[string]string) {
		lits, envs := args(callText)
		for k, v := range extraLit {
			lits[k] = v
		}
		for k, v := range extraEnv {
			envs[k] = v
		}
		out = append(out, Call{Service: svc, Operation: op, Args: lits, Env: envs, File: f.Name, Line: lineOf(f.Data, off), Lang: "python"})
	}
	for _, loc := range pyInlineRe.FindAllStringSubmatchIndex(text, -1) {
		add(text[loc[2]:loc[3]], calls.Operation(text[loc[4]:loc[5]]), loc[0], block(text, loc[1]-1), nil, nil)
	}
	for _, loc := range pyCallRe.FindAllStringSubmatchIndex(text, -1) {
		v, method := text[loc[2]:loc[3]], text[loc[4]:loc[5]]
		if svc, ok := clients[v]; ok {
			if method == "get_paginator" || method == "get_waiter" {
				continue
			}
			add(svc, calls.Operation(method), loc[0], block(text, loc[1]-1), nil, nil)
			continue
		}
		if h, ok := handles[v]; ok {
			lit, env := map[string][]string{}, map[string]string{}
			key := map[string]string{"Table": "TableName", "Bucket": "Bucket", "Queue": "QueueUrl"}[h.kind]
			if h.name != "" {
				lit[key] = []string{h.name}
			}
			if h.env != "" {
				env[key] = h.env
			}
			op := ""
			switch h.kind {
			case "Table":
				op = dynamoTableOps[method]
			case "Bucket":
				op = map[string]string{"upload_file": "PutObject", "upload_fileobj": "PutObject", "download_file": "GetObject",
					"download_fileobj": "GetObject", "put_object": "PutObject", "delete_objects": "DeleteObjects"}[method]
			case "Queue":
				op = map[string]string{"send_message": "SendMessage", "send_messages": "SendMessageBatch",
					"receive_messages": "ReceiveMessage", "delete_messages": "DeleteMessageBatch"}[method]
			}
			if op != "" {
				add(h.service, op, loc[0], block(text, loc[1]-1), lit, env)
			}
		}
	}
	return out
}

// JavaScript/TypeScript: AWS SDK v3. Commands are imported from
// @aws-sdk/client-NAME (or @aws-sdk/lib-dynamodb's document client) and
// constructed with new XCommand({...}); @aws-sdk/lib-storage's Upload puts
// objects.
var (
	jsImportRe  = regexp.MustCompile(`(?s)import\s*\{([^}]*)\}\s*from\s*['"]@aws-sdk/(client|lib)-([\w-]+)['"]`)
	jsRequireRe = regexp.MustCompile(`(?s)(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"]@aws-sdk/(client|lib)-([\w-]+)['"]\s*\)`)
	jsNewRe     = regexp.MustCompile(`new\s+(\w+)\s*\(\s*\{?`)
)

// docClientOps maps @aws-sdk/lib-dynamodb commands to DynamoDB operations.
var docClientOps = map[string]string{
	"Get": "GetItem", "Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "Query": "Query", "Scan": "Scan",
	"BatchGet": "BatchGetItem", "BatchWrite": "BatchWriteItem", "TransactGet": "TransactGetItems", "TransactWrite": "TransactWriteItems",
}

func scanJS(f *source.File) []Call {
	text := string(f.Data)
	if !strings.Contains(text, "@aws-sdk/") {
		return nil
	}
	commands := map[string][2]string{} // name -> service, operation
	for _, re := range []*regexp.Regexp{jsImportRe, jsRequireRe} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			kind, pkg := m[2], m[3]
			for _, name := range strings.Split(m[1], ",") {
				name = strings.TrimSpace(name)
				if i := strings.Index(name, " as "); i >= 0 {
					name = strings.TrimSpace(name[i+4:])
				}
				switch {
				case kind == "lib" && pkg == "storage" && name == "Upload":
					commands[name] = [2]string{"s3", "PutObject"}
				case kind == "lib" && pkg == "dynamodb" && strings.HasSuffix(name, "Command"):
					if op, ok := docClientOps[strings.TrimSuffix(name, "Command")]; ok {
						commands[name] = [2]string{"dynamodb", op}
					}
				case kind == "client" && strings.HasSuffix(name, "Command"):
					commands[name] = [2]string{pkg, strings.TrimSuffix(name, "Command")}
				}
			}
		}
	}
	var out []Call
	for _, loc := range jsNewRe.FindAllStringSubmatchIndex(text, -1) {
		cmd, ok := commands[text[loc[2]:loc[3]]]
		if !ok {
			continue
		}
		open := strings.IndexByte(text[loc[0]:], '(') + loc[0]
		lits, envs := args(block(text, open))
		out = append(out, Call{Service: cmd[0], Operation: cmd[1], Args: lits, Env: envs,
			File: f.Name, Line: lineOf(f.Data, loc[0]), Lang: "js"})
	}
	return out
}
