package usage

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/need"
)

// Aggregator folds a principal's events into needs with call counts and
// time spans, in memory bounded by the distinct (action, resource,
// condition) triples rather than by the number of events: once more than
// MaxPerPrefix resources under one path ("arn:aws:s3:::reports/daily/")
// are seen for an action, they are generalised to that prefix followed
// by "*", and later resources under it fold in.
type Aggregator struct {
	Cat  *catalog.Catalog
	File string // named as the source of every need
	// From and To bound the event time: From <= t < To; zero is open.
	From, To      time.Time
	IncludeDenied bool
	// MaxPerPrefix is the number of distinct resources under one path
	// kept before generalising; 0 never generalises.
	MaxPerPrefix int

	// Kept counts the events turned into needs, Denied the denied events
	// left out, Other the failed events (throttling, validation) that say
	// nothing about permissions, Unknown the events with no IAM action.
	Kept, Denied, Other, Unknown int
	// UnknownEvents are the distinct event names without an IAM action.
	UnknownEvents map[string]string // "svc:Event" -> reason

	cache map[string]needsResult // needs by what determines them
	key   []byte                 // the cache key, reused

	byKey     map[string]*usage
	order     []string
	children  map[string]int // action+conds+prefix -> distinct resources
	collapsed map[string]bool
}

type usage struct {
	n           need.Need
	count       int
	first, last time.Time
	event       string
	generalised bool // resources under a path folded into path*
}

// Add folds one event in.
func (a *Aggregator) Add(r *cloudtrail.Record) {
	if !a.From.IsZero() && r.EventTime.Before(a.From) || !a.To.IsZero() && !r.EventTime.Before(a.To) {
		return
	}
	a.AddCalls(r, 1, r.EventTime, r.EventTime)
}

// AddCalls folds in calls events like r made between first and last, as
// an aggregated source (Athena's result) gives them. The time window is
// the query's business.
func (a *Aggregator) AddCalls(r *cloudtrail.Record, calls int, first, last time.Time) {
	if r.ErrorCode != "" && !r.Denied() {
		a.Other += calls
		return
	}
	if r.Denied() && !a.IncludeDenied {
		a.Denied += calls
		return
	}
	needs, err := a.needs(r)
	if err != nil {
		a.Unknown += calls
		if a.UnknownEvents == nil {
			a.UnknownEvents = map[string]string{}
		}
		a.UnknownEvents[cloudtrail.Service(r.EventSource)+":"+r.EventName] = err.Error()
		return
	}
	a.Kept += calls
	if a.byKey == nil {
		a.byKey, a.children, a.collapsed = map[string]*usage{}, map[string]int{}, map[string]bool{}
	}
	for _, n := range needs {
		conds := need.CondKey(n.Conditions)
		k := n.Action + "\x00" + n.Resource + "\x00" + conds
		u, seen := a.byKey[k]
		if !seen && a.MaxPerPrefix > 0 {
			if prefix, ok := pathPrefix(n.Resource); ok {
				gk := n.Action + "\x00" + prefix + "\x00" + conds
				if !a.collapsed[gk] {
					a.children[gk]++
					if a.children[gk] > a.MaxPerPrefix {
						a.collapse(gk, n.Action, prefix, conds)
					}
				}
				if a.collapsed[gk] {
					n.Resource = prefix + "*"
					k = n.Action + "\x00" + n.Resource + "\x00" + conds
					u, seen = a.byKey[k]
				}
			}
		}
		if !seen {
			u = &usage{n: n, first: first, last: last, event: r.EventSource + " " + r.EventName}
			a.byKey[k] = u
			a.order = append(a.order, k)
		}
		u.count += calls
		if first.Before(u.first) {
			u.first = first
		}
		if last.After(u.last) {
			u.last = last
		}
	}
}

type needsResult struct {
	needs []need.Need
	err   error
}

const maxCache = 1 << 14

// needs returns Needs(r), cached by the fields Needs reads other than the
// time (whose only use, the reason text, Needs replaces): a deploy's
// calls repeat, and decoding their parameters is most of the work.
func (a *Aggregator) needs(r *cloudtrail.Record) ([]need.Need, error) {
	k := a.key[:0]
	for _, s := range []string{r.EventSource, r.EventName, r.AWSRegion, r.RecipientAccount, r.UserIdentity.AccountID} {
		k = append(k, s...)
		k = append(k, 0)
	}
	k = append(k, r.RawParameters...)
	for _, res := range r.Resources {
		k = append(k, 0)
		k = append(k, res.ARN...)
	}
	a.key = k
	if c, ok := a.cache[string(k)]; ok { // no allocation for the lookup
		return c.needs, c.err
	}
	needs, err := Needs(r, a.File, a.Cat)
	if a.cache == nil || len(a.cache) >= maxCache {
		a.cache = map[string]needsResult{}
	}
	a.cache[string(k)] = needsResult{needs, err}
	return needs, err
}

// collapse merges the needs of action on resources under prefix into one
// need on prefix*.
func (a *Aggregator) collapse(gk, action, prefix, conds string) {
	a.collapsed[gk] = true
	delete(a.children, gk)
	var merged *usage
	keep := a.order[:0]
	for _, k := range a.order {
		u := a.byKey[k]
		p, ok := pathPrefix(u.n.Resource)
		if !ok || p != prefix || u.n.Action != action || need.CondKey(u.n.Conditions) != conds {
			keep = append(keep, k)
			continue
		}
		delete(a.byKey, k)
		if merged == nil {
			merged = u
			merged.n.Resource = prefix + "*"
			merged.generalised = true
			continue
		}
		merged.count += u.count
		if u.first.Before(merged.first) {
			merged.first = u.first
		}
		if u.last.After(merged.last) {
			merged.last = u.last
		}
	}
	a.order = keep
	if merged != nil {
		k := action + "\x00" + merged.n.Resource + "\x00" + conds
		a.byKey[k] = merged
		a.order = append(a.order, k)
	}
}

// pathPrefix returns the resource ARN up to and including its last "/"
// when the resource part has a path below its type or name
// ("arn:aws:s3:::reports/daily/1.csv" -> "arn:aws:s3:::reports/daily/"),
// and false for patterns and ARNs without one.
func pathPrefix(res string) (string, bool) {
	if strings.ContainsAny(res, "*?") || !strings.HasPrefix(res, "arn:") {
		return "", false
	}
	colons := 0
	start := -1
	for i := 0; i < len(res); i++ {
		if res[i] == ':' {
			colons++
			if colons == 5 {
				start = i + 1
				break
			}
		}
	}
	if start < 0 {
		return "", false
	}
	i := strings.LastIndexByte(res, '/')
	if i < start {
		return "", false
	}
	// A resource part "type/name" has no path below the name: generalising
	// "repository/web" to "repository/*" would span every repository. S3
	// is the exception: "bucket/key" has its key below the bucket.
	if strings.Count(res[start:i+1], "/") < 2 && !strings.HasPrefix(res, "arn:aws:s3:::") {
		return "", false
	}
	return res[:i+1], true
}

// Needs returns the aggregated needs in first-seen order, each with its
// call count and time span as the reason.
func (a *Aggregator) Needs() []need.Need {
	var out []need.Need
	for _, k := range a.order {
		u := a.byKey[k]
		n := u.n
		n.Why = fmt.Sprintf("%s: %d calls, %s to %s", u.event, u.count,
			u.first.UTC().Format("2006-01-02T15:04Z"), u.last.UTC().Format("2006-01-02T15:04Z"))
		if u.generalised {
			n.Why += fmt.Sprintf("; more than %d resources under %s, generalised (--max-resources)", a.MaxPerPrefix, strings.TrimSuffix(n.Resource, "*"))
		}
		out = append(out, n)
	}
	return out
}

// UnknownList returns the events without an IAM action, sorted.
func (a *Aggregator) UnknownList() []string {
	var out []string
	for k, why := range a.UnknownEvents {
		out = append(out, k+": "+why)
	}
	sort.Strings(out)
	return out
}
