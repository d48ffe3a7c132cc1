package calls

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
)

// grant is one action on one resource, with its conditions.
type grant struct {
	action, resource string
	conds            []need.Cond
}

// where is the region and account a call runs in, parameters when unknown.
func (c Call) where() (region, account string) {
	region, account = c.Region, c.Account
	if region == "" {
		region = need.Param("Region")
	}
	if account == "" {
		account = need.Param("AccountId")
	}
	return region, account
}

// get returns an argument, or the parameter that stands for it.
func (c Call) get(name, param string) string {
	if v, ok := c.Arg(name); ok {
		return v
	}
	return c.param(param, name)
}

// param is the parameter for an undetermined argument: the one the
// reader named after the value's source (for the first of names that
// has one), else def.
func (c Call) param(def string, names ...string) string {
	for _, n := range names {
		if p, ok := c.Params[n]; ok && p != "" {
			return need.Param(p)
		}
	}
	return need.Param(def)
}

// hintFor is the parameter the reader named for the argument that would
// fill a format variable (matched as lookup matches arguments).
func (c Call) hintFor(variable string) (string, bool) {
	if len(c.Params) == 0 {
		return "", false
	}
	lc := strings.ToLower(variable)
	base := strings.TrimSuffix(lc, "name")
	names := make([]string, 0, len(c.Params))
	for name := range c.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		switch strings.ToLower(name) {
		case lc, base, base + "s", base + "name", base + "names", base + "id", base + "ids", base + "arn":
			return c.Params[name], true
		}
	}
	return "", false
}

// builder knows how one service's arguments name its resources. It returns
// nil to leave the action to the catalog's ARN formats.
type builder func(c Call, a *catalog.Action, region, account string) []grant

// builders are the services whose resources are not just the catalog's
// ARN format filled from same-named arguments: S3 objects from a bucket
// and key, queues from their URL, tables with their indexes, ECS services
// in their cluster, and so on.
var builders = map[string]builder{
	"s3": s3Grants, "sqs": sqsGrants, "dynamodb": dynamodbGrants, "ssm": ssmGrants,
	"secretsmanager": secretGrants, "sns": snsGrants, "cloudformation": stackGrants,
	"kms": kmsGrants, "ecs": ecsGrants, "ecr": ecrGrants, "events": eventsGrants, "codedeploy": codedeployGrants,
	"ses": sesGrants, "bedrock": bedrockGrants, "execute-api": connectionGrants,
	"cloudwatch": metricGrants,
}

// grants returns what action a of the call needs: "*" for an action
// without resource types, else the resources the service's builder or
// the catalog's ARN formats give. Where the arguments leave a parameter
// and the surface named the resource outright (Known), those ARNs are used.
func grants(c Call, action string, cat *catalog.Catalog) []grant {
	a := cat.Action(action)
	if a == nil || a.WildcardOnly() {
		return []grant{{action: action, resource: "*"}}
	}
	region, account := c.where()
	var out []grant
	if b, ok := builders[a.Service.Key]; ok {
		out = b(c, a, region, account)
	}
	if out == nil {
		for _, r := range formatResources(c, a, region, account) {
			out = append(out, grant{action: a.String(), resource: r})
		}
	}
	undetermined := false
	for _, g := range out {
		if g.action == a.String() && strings.Contains(g.resource, "{{") {
			undetermined = true
		}
	}
	if undetermined {
		var known []string
		for _, k := range c.Known {
			if arn.MatchesAction(k, a) {
				known = append(known, k)
			}
		}
		if len(known) > 0 {
			kept := out[:0:0]
			for _, g := range out {
				if g.action != a.String() {
					kept = append(kept, g)
				}
			}
			for _, k := range known {
				kept = append(kept, grant{action: a.String(), resource: k})
			}
			out = kept
		}
	}
	return out
}

func one(a *catalog.Action, resources ...string) []grant {
	out := make([]grant, len(resources))
	for i, r := range resources {
		out[i] = grant{action: a.String(), resource: r}
	}
	return out
}

func supports(a *catalog.Action, typ string) bool {
	for _, r := range a.Resources {
		if r.Name == typ {
			return true
		}
	}
	return false
}

// formatResources fills the catalog ARN formats of the action's resource
// types: every required type, and each optional type the arguments name
// in full. An action whose types are all optional and unnamed is granted
// on "*", as IAM authorizes it when the request names none of them.
func formatResources(c Call, a *catalog.Action, region, account string) []string {
	var out []string
	for _, r := range a.Resources {
		if r.Type == nil {
			continue
		}
		if v, ok := c.arnOf(r.Type.ARN); ok {
			out = append(out, v)
			continue
		}
		// A list argument (Clusters: a, b) gives one ARN for each value.
		n := 1
		for i := 0; i < n; i++ {
			res, full := FillFormat(r.Type.ARN, region, account, func(variable string) (string, bool) {
				vs, ok := c.lookup(variable)
				if !ok {
					return "", false
				}
				n = max(n, len(vs))
				return vs[min(i, len(vs)-1)], true
			})
			if !r.Required && !full {
				break
			}
			// A variable the arguments leave undetermined is the
			// parameter named after its value's source, when the reader
			// named one.
			for _, m := range formatVar().FindAllStringSubmatch(r.Type.ARN, -1) {
				if h, ok := c.hintFor(m[1]); ok && strings.Contains(res, need.Param(m[1])) {
					res = strings.ReplaceAll(res, need.Param(m[1]), need.Param(h))
				}
			}
			out = append(out, res)
		}
	}
	if len(out) == 0 {
		return []string{"*"}
	}
	return out
}

// arnOf returns an argument that is itself an ARN of the format. Members
// of structures (Targets.Arn) name other resources: not read here.
func (c Call) arnOf(format string) (string, bool) {
	for name, vs := range c.Args {
		if strings.Contains(name, ".") {
			continue
		}
		for _, v := range vs {
			if strings.HasPrefix(v, "arn:") && arn.MatchesFormat(v, format) {
				return v, true
			}
		}
	}
	return "", false
}

// lookup finds the argument that names a format variable: ${ClusterName}
// from Cluster, Clusters, ClusterName or ClusterId; ${FunctionName} from
// FunctionName. An ARN-valued argument gives its last path segment.
func (c Call) lookup(variable string) ([]string, bool) {
	lc := strings.ToLower(variable)
	base := strings.TrimSuffix(lc, "name")
	names := make([]string, 0, len(c.Args))
	for name := range c.Args {
		names = append(names, name)
	}
	sort.Strings(names) // Cluster before ClusterName, always
	for _, name := range names {
		vs := c.Args[name]
		if len(vs) == 0 {
			continue
		}
		n := strings.ToLower(name)
		switch n {
		case lc, base, base + "s", base + "name", base + "names", base + "id", base + "ids":
		default:
			continue
		}
		out := make([]string, len(vs))
		for i, v := range vs {
			if strings.HasPrefix(v, "arn:") {
				v = ecs.Name(v)
			}
			out[i] = v
		}
		return out, true
	}
	return nil, false
}

var formatVar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([A-Za-z0-9]+)\}`) })

// FillFormat instantiates a catalog ARN format: the partition of the
// region, the region and account, each other variable from lookup, and a
// {{Variable}} parameter where lookup has none. full reports whether
// lookup named every variable that is not the partition, region or
// account (and there was at least one).
func FillFormat(format, region, account string, lookup func(variable string) (string, bool)) (res string, full bool) {
	named, vars := 0, 0
	res = formatVar().ReplaceAllStringFunc(format, func(m string) string {
		switch name := m[2 : len(m)-1]; name {
		case "Partition":
			return arn.PartitionOf(region)
		case "Region":
			return region
		case "Account":
			return account
		default:
			vars++
			if lookup != nil {
				if v, ok := lookup(name); ok {
					named++
					return v
				}
			}
			return need.Param(name)
		}
	})
	return res, vars > 0 && named == vars
}

// s3Grants: buckets and objects. CopyObject and UploadPartCopy read the
// object named by CopySource ("bucket/key", URL-encoded, with an optional
// ?versionId=).
func s3Grants(c Call, a *catalog.Action, _, _ string) []grant {
	bucket := c.get("Bucket", "BucketName")
	key, hasKey := c.Arg("Key")
	if (c.Operation == "CopyObject" || c.Operation == "UploadPartCopy") && a.Name == "GetObject" {
		if src, ok := c.Arg("CopySource"); ok {
			src, _, _ = strings.Cut(src, "?versionId=")
			if u, err := url.PathUnescape(src); err == nil {
				src = u
			}
			b, k, _ := strings.Cut(strings.TrimPrefix(src, "/"), "/")
			bucket, key, hasKey = b, k, k != ""
		}
	}
	if !supports(a, "object") {
		return one(a, "arn:aws:s3:::"+bucket)
	}
	if !hasKey {
		key = "*"
		if p, ok := c.Arg("Prefix"); ok {
			key = p + "*"
		}
	}
	return one(a, "arn:aws:s3:::"+bucket+"/"+key)
}

// sqsURLRe matches a queue URL, any part of which may be a {{Parameter}}
// (a CloudFormation queue's URL in a stack whose region is not known).
var sqsURLRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^https://(?:sqs\.)?([a-z0-9-]+|\{\{[\w.-]+\}\})\.(?:queue\.)?amazonaws\.com(?:\.cn)?/(\d{12}|\{\{[\w.-]+\}\})/((?:[\w-]|\{\{[\w.-]+\}\})+(?:\.fifo)?)$`)
})

// QueueARN turns a queue URL (or a queue name) into the queue's ARN.
func QueueARN(region, account, v string) string {
	if m := sqsURLRe().FindStringSubmatch(v); m != nil {
		return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", m[1], m[2], m[3])
	}
	if strings.HasPrefix(v, "arn:") {
		return v
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" {
		if parts := strings.Split(strings.Trim(u.Path, "/"), "/"); len(parts) == 2 {
			return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, parts[0], parts[1])
		}
	}
	return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, account, v)
}

func sqsGrants(c Call, a *catalog.Action, region, account string) []grant {
	if v, ok := c.Arg("QueueUrl"); ok {
		return one(a, QueueARN(region, account, v))
	}
	if v, ok := c.Arg("QueueName"); ok {
		return one(a, QueueARN(region, account, v))
	}
	return one(a, QueueARN(region, account, c.param("QueueName", "QueueUrl", "QueueName")))
}

// dynamodbTransactItem is the item kind of a transaction (the
// TransactItems.KIND argument) that each action authorizes
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
var dynamodbTransactItem = map[string]string{
	"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete", "ConditionCheckItem": "ConditionCheck", "GetItem": "Get",
}

// dynamodbGrants: each table the call names (a batch names several: the
// keys of its RequestItems), with the index a query names. A
// transaction whose items are known grants each item action on the
// tables of that kind of item only.
func dynamodbGrants(c Call, a *catalog.Action, region, account string) []grant {
	tables := c.Args["TableName"]
	if strings.HasPrefix(c.Operation, "Transact") {
		if kind, ok := dynamodbTransactItem[a.Name]; ok && hasPrefixKey(c.Args, "TransactItems.") {
			tables = c.Args["TransactItems."+kind]
			if len(tables) == 0 {
				return []grant{} // no item of this kind
			}
		}
	}
	if len(tables) == 0 {
		tables = []string{c.get("TableName", "TableName")}
	}
	var out []grant
	seen := map[string]bool{}
	for _, table := range tables {
		if strings.HasPrefix(table, "arn:") {
			table = table[strings.LastIndex(table, "/")+1:]
		}
		if seen[table] {
			continue
		}
		seen[table] = true
		out = append(out, one(a, fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, account, table))...)
		if idx, ok := c.Arg("IndexName"); ok && supports(a, "index") {
			out = append(out, one(a, fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s/index/%s", region, account, table, idx))...)
		}
	}
	return out
}

// hasPrefixKey reports an argument whose name starts with prefix.
func hasPrefixKey(args map[string][]string, prefix string) bool {
	for k := range args {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// SSMParameterARN is the ARN of a parameter named with or without its
// leading slash, or the ARN itself.
func SSMParameterARN(region, account, name string) string {
	if strings.HasPrefix(name, "arn:") {
		return name
	}
	return fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", region, account, strings.TrimPrefix(name, "/"))
}

func ssmGrants(c Call, a *catalog.Action, region, account string) []grant {
	if !supports(a, "parameter") {
		return nil
	}
	if p, ok := c.Arg("Path"); ok {
		return one(a, fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s*", region, account, strings.TrimPrefix(p, "/")))
	}
	names := c.Args["Names"]
	if len(names) == 0 {
		names = []string{c.get("Name", "ParameterName")}
	}
	var out []grant
	for _, n := range names {
		out = append(out, one(a, SSMParameterARN(region, account, n))...)
	}
	return out
}

func secretGrants(c Call, a *catalog.Action, region, account string) []grant {
	id, ok := c.Arg("SecretId")
	if !ok {
		if !supports(a, "Secret") {
			return nil
		}
		id = c.param("SecretName", "SecretId")
	}
	if strings.HasPrefix(id, "arn:") {
		return one(a, id)
	}
	return one(a, fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-??????", region, account, id))
}

func snsGrants(c Call, a *catalog.Action, _, _ string) []grant {
	if !supports(a, "topic") {
		return nil
	}
	return one(a, c.get("TopicArn", "TopicArn"))
}

func stackGrants(c Call, a *catalog.Action, region, account string) []grant {
	if !supports(a, "stack") {
		return nil
	}
	name := c.get("StackName", "StackName")
	if strings.HasPrefix(name, "arn:") {
		return one(a, name)
	}
	return one(a, fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/*", region, account, name))
}

// kmsGrants: a key named by ARN, id or alias. An alias scopes the key by
// the kms:RequestAlias condition, as the alias is not the key's ARN.
func kmsGrants(c Call, a *catalog.Action, region, account string) []grant {
	if name, ok := c.Arg("AliasName"); ok && supports(a, "alias") {
		// CreateAlias, DeleteAlias, UpdateAlias: the alias and its key.
		out := one(a, fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, account, name))
		if supports(a, "key") {
			out = append(out, one(a, kmsKey(c, region, account))...)
		}
		return out
	}
	if !supports(a, "key") {
		return nil
	}
	id, ok := c.Arg("KeyId")
	switch {
	case !ok:
		return one(a, c.param("KeyArn", "KeyId"))
	case strings.HasPrefix(id, "arn:") && strings.Contains(id, ":alias/"):
		return []grant{{action: a.String(), resource: fmt.Sprintf("arn:aws:kms:%s:%s:key/*", region, account),
			conds: []need.Cond{{Op: "StringEquals", Key: "kms:RequestAlias", Values: []string{id[strings.Index(id, ":alias/")+1:]}}}}}
	case strings.HasPrefix(id, "arn:"), strings.HasPrefix(id, "{{"):
		return one(a, id)
	case strings.HasPrefix(id, "alias/"):
		return []grant{{action: a.String(), resource: fmt.Sprintf("arn:aws:kms:%s:%s:key/*", region, account),
			conds: []need.Cond{{Op: "StringEquals", Key: "kms:RequestAlias", Values: []string{id}}}}}
	}
	return one(a, fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, account, id))
}

// ecsGrants: services in their cluster (the default cluster when none is
// named), task definition families, a cluster's tasks, and the roles a
// task definition passes.
func ecsGrants(c Call, a *catalog.Action, region, account string) []grant {
	cluster := "default"
	if c.Unread {
		cluster = need.Param("ClusterName")
	}
	if v, ok := c.Arg("Cluster"); ok {
		cluster = ecs.Name(v)
	}
	switch a.Name {
	case "UpdateService", "CreateService", "DeleteService", "DescribeServices":
		var names []string
		for _, k := range []string{"Services", "Service", "ServiceName"} {
			names = append(names, c.Args[k]...)
		}
		if len(names) == 0 {
			names = []string{need.Param("ServiceName")}
		}
		var out []grant
		for _, n := range names {
			out = append(out, one(a, ecs.ServiceARN(region, account, cluster, ecs.Name(n)))...)
		}
		return out
	case "RunTask", "StartTask":
		family := ecs.Family(c.get("TaskDefinition", "TaskFamily"))
		out := []grant{{action: a.String(), resource: ecs.FamilyARN(region, account, family),
			conds: []need.Cond{{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{ecs.ClusterARN(region, account, cluster)}}}}}
		// ECS passes the task definition's execution role and task role to
		// the tasks it starts, so the caller needs iam:PassRole on them
		// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html:
		// "add iam:PassRole permissions for each task execution role, task
		// role, or task role override"); a role in the overrides replaces
		// the task definition's
		// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html).
		// Unless the caller knows the task definition (c.TaskRoles), its
		// roles are parameters named after its family.
		execRole, taskRole := ecs.RegisteredRoles(family)
		if c.TaskRoles != nil {
			execRole, taskRole = c.TaskRoles.Execution, c.TaskRoles.Task
		}
		for _, r := range []struct{ key, role string }{{"Overrides.TaskRoleArn", taskRole}, {"Overrides.ExecutionRoleArn", execRole}} {
			roles := c.Args[r.key]
			if len(roles) == 0 && r.role != "" {
				roles = []string{r.role}
			}
			for _, role := range roles {
				out = append(out, grant{action: "iam:PassRole", resource: ecs.RoleRef(role, account),
					conds: []need.Cond{{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{need.ECSTasks}}}})
			}
		}
		return out
	case "DescribeTasks", "StopTask":
		return one(a, ecs.TasksARN(region, account, cluster))
	case "RegisterTaskDefinition":
		out := one(a, ecs.FamilyARN(region, account, ecs.Family(c.get("Family", "TaskFamily"))))
		for _, k := range []string{"ExecutionRoleArn", "TaskRoleArn"} {
			if role, ok := c.Arg(k); ok {
				out = append(out, grant{action: "iam:PassRole", resource: role,
					conds: []need.Cond{{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{"ecs-tasks.amazonaws.com"}}}})
			}
		}
		return out
	}
	return nil
}

// ecrGrants: a repository in the registry named by RegistryId, else in
// the call's account.
func ecrGrants(c Call, a *catalog.Action, region, account string) []grant {
	repo, ok := c.Arg("RepositoryName")
	if !ok || !supports(a, "repository") {
		return nil
	}
	if reg, ok := c.Arg("RegistryId"); ok {
		account = reg
	}
	return one(a, fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", region, account, repo))
}

// eventsGrants: EventBridge rules and buses. A rule or an event without
// EventBusName is on the account's default bus, whose rules' ARNs have no
// bus name (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html#amazoneventbridge-resources-for-iam-policies).
// PutTargets passes each target's RoleArn to EventBridge
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html#eb-passrole).
func eventsGrants(c Call, a *catalog.Action, region, account string) []grant {
	bus := func(name string) string {
		if strings.HasPrefix(name, "arn:") {
			return name
		}
		return fmt.Sprintf("arn:aws:events:%s:%s:event-bus/%s", region, account, name)
	}
	switch a.Name {
	case "PutEvents":
		entries := c.Args["Entries"]
		buses := c.Args["Entries.EventBusName"]
		if len(entries) == 0 || len(buses) < len(entries) {
			// Entries that name no bus go to the default one; entries the
			// command does not show name an unknown bus.
			if len(entries) == 0 {
				buses = append(buses, need.Param("EventBusName"))
			} else {
				buses = append(buses, "default")
			}
		}
		var out []grant
		seen := map[string]bool{}
		for _, b := range buses {
			if r := bus(b); !seen[r] {
				seen[r] = true
				out = append(out, one(a, r)...)
			}
		}
		return out
	case "PutRule", "PutTargets", "RemoveTargets", "DeleteRule", "DescribeRule", "EnableRule", "DisableRule", "ListTargetsByRule":
		rule := c.get("Name", "RuleName")
		if r, ok := c.Arg("Rule"); ok {
			rule = r
		}
		var res string
		switch b, ok := c.Arg("EventBusName"); {
		case strings.HasPrefix(rule, "arn:"):
			res = rule
		case !ok || b == "default" || b == bus("default"):
			res = fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", region, account, rule)
		default:
			res = fmt.Sprintf("arn:aws:events:%s:%s:rule/%s/%s", region, account, ecs.Name(b), rule)
		}
		out := one(a, res)
		if a.Name == "PutTargets" {
			for _, role := range c.Args["Targets.RoleArn"] {
				out = append(out, grant{action: "iam:PassRole", resource: arn.RoleARN(role, account),
					conds: []need.Cond{{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{"events.amazonaws.com"}}}})
			}
		}
		return out
	}
	return nil
}

// codedeployGrants: the deployment configuration CreateDeployment reads
// is named DeploymentConfigName (the catalog's variable is
// DeploymentConfigurationName); without it, the deployment group's.
func codedeployGrants(c Call, a *catalog.Action, region, account string) []grant {
	if a.Name != "GetDeploymentConfig" {
		return nil
	}
	return one(a, fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentconfig:%s", region, account, c.get("DeploymentConfigName", "CodeDeployConfig")))
}

// kmsKey is the key of the call's TargetKeyId or KeyId, or a parameter.
func kmsKey(c Call, region, account string) string {
	for _, k := range []string{"TargetKeyId", "KeyId"} {
		if id, ok := c.Arg(k); ok {
			if strings.HasPrefix(id, "arn:") || strings.HasPrefix(id, "{{") {
				return id
			}
			return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, account, id)
		}
	}
	return need.Param("KeyArn")
}

// sesGrants: SendEmail and its kind are authorized on the identity that
// sends (the address, or its domain when the domain is the verified
// identity: both are granted) and on a configuration set when the call
// names one (the catalog marks it optional: never forced).
func sesGrants(c Call, a *catalog.Action, region, account string) []grant {
	if !supports(a, "identity") {
		return nil
	}
	from := ""
	for _, k := range []string{"FromEmailAddress", "Source", "FromArn", "SourceArn", "FromEmailAddressIdentityArn"} {
		if v, ok := c.Arg(k); ok {
			from = v
			break
		}
	}
	var out []grant
	switch {
	case strings.HasPrefix(from, "arn:"):
		out = one(a, from)
	case from != "":
		if i := strings.LastIndexByte(from, '<'); i >= 0 { // "Name <a@b.c>"
			from = strings.TrimSuffix(from[i+1:], ">")
		}
		out = one(a, fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", region, account, from))
		if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
			out = append(out, one(a, fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", region, account, domain))...)
		}
	default:
		out = one(a, fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", region, account, c.param("IdentityName", "FromEmailAddress", "Source")))
	}
	if cs, ok := c.Arg("ConfigurationSetName"); ok && supports(a, "configuration-set") {
		out = append(out, one(a, fmt.Sprintf("arn:aws:ses:%s:%s:configuration-set/%s", region, account, cs))...)
	}
	return out
}

// bedrockGrants: a model invocation on the model the ModelId names: a
// foundation model (no account), an inference profile (a us., eu.,
// apac. or global. prefix: the profile and the foundation model in
// every region it routes to), or an ARN.
func bedrockGrants(c Call, a *catalog.Action, region, account string) []grant {
	if !supports(a, "foundation-model") {
		return nil
	}
	id, ok := c.Arg("ModelId")
	if !ok {
		// A model the inputs do not name: a foundation model or an
		// inference profile of that id, one parameter for both.
		p := c.param("ModelId", "ModelId")
		return one(a, fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", region, p),
			fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, account, p))
	}
	if strings.HasPrefix(id, "arn:") {
		return one(a, id)
	}
	if pre, model, ok := strings.Cut(id, "."); ok && (pre == "us" || pre == "eu" || pre == "apac" || pre == "global" || pre == "us-gov" || pre == "jp" || pre == "au" || pre == "ca") && strings.Contains(model, ".") {
		return one(a, fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, account, id),
			fmt.Sprintf("arn:aws:bedrock:*::foundation-model/%s", model))
	}
	return one(a, fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", region, id))
}

// connectionGrants: the API Gateway management API's connections, on the
// WebSocket API and stage the client's endpoint names (parameters).
func connectionGrants(c Call, a *catalog.Action, region, account string) []grant {
	if a.Name != "ManageConnections" {
		return nil
	}
	method := map[string]string{"PostToConnection": "POST", "GetConnection": "GET", "DeleteConnection": "DELETE"}[c.Operation]
	if method == "" {
		method = "*"
	}
	api, stage := c.get("ApiId", "WebSocketApiId"), c.get("Stage", "WebSocketStage")
	return one(a, fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/@connections/*", region, account, api, stage, method))
}

// metricGrants: PutMetricData names no resource (its dataset type is
// optional): "*", pinned to the namespace the call writes by
// cloudwatch:namespace.
func metricGrants(c Call, a *catalog.Action, _, _ string) []grant {
	ns, ok := c.Arg("Namespace")
	if a.Name != "PutMetricData" || !ok || strings.Contains(ns, "{{") {
		return nil
	}
	return []grant{{action: a.String(), resource: "*",
		conds: []need.Cond{{Op: "StringEquals", Key: "cloudwatch:namespace", Values: []string{ns}}}}}
}
