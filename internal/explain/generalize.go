package explain

import (
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
)

// Generalization is a resource of one run (a task definition revision, a
// task, a log stream named after a task, an image digest) widened to the
// resource the next run uses, so that the fix lasts.
type Generalization struct {
	// From is the resource the denial names, To what the fix grants.
	From, To string
	// Why says what changes from run to run.
	Why string
}

var (
	// A task id: 32 hex digits (ECS), or a UUID (older task ARNs).
	taskIDRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	})
	// A per-run id inside a name: a task id, a UUID or a long hex run.
	runIDRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}`)
	})
	digitsRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+$`) })
)

// Generalize returns the resource the next run of the same pipeline uses
// in place of resource, when resource names something that is new every
// run; ok is false when it does not.
func Generalize(resource string) (Generalization, bool) {
	a, err := arn.Parse(resource)
	if err != nil || strings.ContainsAny(resource, "*?") {
		return Generalization{}, false
	}
	g := Generalization{From: resource}
	with := func(res, why string) (Generalization, bool) {
		a.Resource = res
		g.To, g.Why = a.String(), why
		return g, true
	}
	res := a.Resource
	switch a.Service {
	case "ecs":
		typ, rest, _ := strings.Cut(res, "/")
		parts := strings.Split(rest, "/")
		switch typ {
		case "task-definition":
			if fam, rev, ok := strings.Cut(rest, ":"); ok && digitsRe().MatchString(rev) {
				return with("task-definition/"+fam+":*", "each deploy registers a new revision of the family "+fam+" (after :"+rev+" comes :"+next(rev)+"): the fix names the family's revisions")
			}
		case "task":
			if len(parts) == 2 && taskIDRe().MatchString(parts[1]) {
				return with("task/"+parts[0]+"/*", "each run starts new tasks with new ids: the fix names the tasks of cluster "+parts[0])
			}
			if len(parts) == 1 && taskIDRe().MatchString(parts[0]) {
				return with("task/*", "each run starts new tasks with new ids (an ARN of the older form, without the cluster): the fix names the account's tasks in the region")
			}
		case "task-set":
			// task-set/CLUSTER/SERVICE/ecs-svc/ID
			if len(parts) >= 3 {
				return with("task-set/"+parts[0]+"/"+parts[1]+"/*", "each deployment creates a new task set: the fix names the task sets of service "+parts[1])
			}
		case "container-instance":
			if len(parts) == 2 {
				return with("container-instance/"+parts[0]+"/*", "container instances come and go with the cluster's capacity: the fix names those of cluster "+parts[0])
			}
		}
	case "logs":
		// log-group:GROUP:log-stream:STREAM; awslogs names each task's
		// stream PREFIX/CONTAINER/TASK_ID.
		group, stream, ok := strings.Cut(strings.TrimPrefix(res, "log-group:"), ":log-stream:")
		if ok && strings.HasPrefix(res, "log-group:") && runIDRe().MatchString(stream) {
			return with("log-group:"+group+":log-stream:*", "each task writes its own log stream, named after the task id ("+stream+"): the fix names the streams of log group "+group)
		}
	case "ecr":
		name, ok := strings.CutPrefix(res, "repository/")
		if !ok {
			break
		}
		if i := strings.IndexAny(name, "@:"); i > 0 {
			return with("repository/"+name[:i], "the image digest or tag ("+name[i+1:]+") changes with every build, and ECR authorizes image actions on the repository: the fix names repository "+name[:i])
		}
	case "cloudformation":
		// stack/NAME/UUID: the id changes when the stack is re-created.
		parts := strings.Split(res, "/")
		if len(parts) == 3 && (parts[0] == "stack" || parts[0] == "changeSet") && runIDRe().MatchString(parts[2]) {
			return with(parts[0]+"/"+parts[1]+"/*", "the "+parts[0]+" id changes when "+parts[1]+" is created again: the fix names "+parts[1]+" by name")
		}
	}
	return Generalization{}, false
}

// next returns the decimal number after n.
func next(n string) string {
	b := []byte(n)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}
