package eval

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/policy"
)

// opFamily groups operators that compare the same way.
type opFamily uint8

const (
	fString opFamily = iota
	fStringIgnoreCase
	fStringLike
	fNumeric
	fDate
	fBool
	fBinary
	fIP
	fARN
	fNull
)

// cmp is the comparison within a family (numeric and date operators).
type cmp uint8

const (
	cEq cmp = iota
	cLt
	cLe
	cGt
	cGe
)

type opInfo struct {
	family  opFamily
	cmp     cmp
	negated bool
}

var opTable = map[string]opInfo{
	"StringEquals":              {fString, cEq, false},
	"StringNotEquals":           {fString, cEq, true},
	"StringEqualsIgnoreCase":    {fStringIgnoreCase, cEq, false},
	"StringNotEqualsIgnoreCase": {fStringIgnoreCase, cEq, true},
	"StringLike":                {fStringLike, cEq, false},
	"StringNotLike":             {fStringLike, cEq, true},
	"NumericEquals":             {fNumeric, cEq, false},
	"NumericNotEquals":          {fNumeric, cEq, true},
	"NumericLessThan":           {fNumeric, cLt, false},
	"NumericLessThanEquals":     {fNumeric, cLe, false},
	"NumericGreaterThan":        {fNumeric, cGt, false},
	"NumericGreaterThanEquals":  {fNumeric, cGe, false},
	"DateEquals":                {fDate, cEq, false},
	"DateNotEquals":             {fDate, cEq, true},
	"DateLessThan":              {fDate, cLt, false},
	"DateLessThanEquals":        {fDate, cLe, false},
	"DateGreaterThan":           {fDate, cGt, false},
	"DateGreaterThanEquals":     {fDate, cGe, false},
	"Bool":                      {fBool, cEq, false},
	"BinaryEquals":              {fBinary, cEq, false},
	"IpAddress":                 {fIP, cEq, false},
	"NotIpAddress":              {fIP, cEq, true},
	"ArnEquals":                 {fARN, cEq, false},
	"ArnLike":                   {fARN, cEq, false},
	"ArnNotEquals":              {fARN, cEq, true},
	"ArnNotLike":                {fARN, cEq, true},
	"Null":                      {fNull, cEq, false},
}

// ccond is a compiled condition: one operator applied to one key.
type ccond struct {
	src      *policy.Condition
	keyLC    string
	op       opInfo
	ifExists bool
	set      policy.SetOp
	values   []cval
}

// cval is a compiled policy value; the parsed forms are set when the value
// has no variables and parses.
type cval struct {
	t      template
	num    float64
	numOK  bool
	date   int64 // milliseconds since the epoch
	dateOK bool
	pfx    netip.Prefix
	pfxOK  bool
}

// compileCondition compiles one condition; without vars (policy language
// 2008-10-17), its values' ${...} are text.
func compileCondition(c *policy.Condition, vars bool) ccond {
	cc := ccond{src: c, keyLC: strings.ToLower(c.Key.Value), op: opTable[c.Base], ifExists: c.IfExists, set: c.Set}
	for _, v := range c.Values {
		cv := cval{t: compileTemplate(v.Value, vars)}
		if !cv.t.hasVars() {
			cv.parse(cc.op.family, v.Value)
		}
		cc.values = append(cc.values, cv)
	}
	return cc
}

func (cv *cval) parse(f opFamily, s string) {
	switch f {
	case fNumeric:
		cv.num, cv.numOK = parseNumber(s)
	case fDate:
		cv.date, cv.dateOK = parseDate(s)
	case fIP:
		cv.pfx, cv.pfxOK = parsePrefix(s)
	}
}

// eval evaluates the condition against the request.
func (c *ccond) eval(r *Request) bool {
	cv := r.lookup(c.keyLC)
	if c.op.family == fNull {
		present := cv != nil && (len(cv.Values) > 0)
		for i := range c.values {
			v, ok := c.values[i].resolved(r)
			if !ok {
				continue
			}
			switch strings.ToLower(v) {
			case "true":
				if !present {
					return true
				}
			case "false":
				if present {
					return true
				}
			}
		}
		return false
	}
	if cv == nil {
		// With the key absent, ForAllValues is true and ForAnyValue false,
		// whether or not the operator ends in IfExists: a set operator
		// applies IfExists to each request value, and there are none (see
		// the ForAnyValue...IfExists cases in testdata/cases/conditions.json).
		switch c.set {
		case policy.ForAllValues:
			return true
		case policy.ForAnyValue:
			return false
		}
		if c.ifExists {
			return true
		}
		// A missing key matches nothing; negated operators are then true.
		return c.op.negated
	}
	vals := cv.Values
	switch c.set {
	case policy.ForAllValues:
		for _, v := range vals {
			if !c.test(r, v) {
				return false
			}
		}
		return true
	case policy.ForAnyValue:
		for _, v := range vals {
			if c.test(r, v) {
				return true
			}
		}
		return false
	}
	if len(vals) == 0 {
		if c.ifExists {
			return true
		}
		return c.op.negated
	}
	// A single-valued operator on several values: any value may satisfy a
	// positive operator; a negated one must hold for all of them.
	if c.op.negated {
		for _, v := range vals {
			if !c.test(r, v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if c.test(r, v) {
			return true
		}
	}
	return false
}

// test applies the operator to one request value: a positive operator
// holds when some policy value matches; a negated one when none matches and
// no value was unusable (a missing variable, a malformed number, ...).
func (c *ccond) test(r *Request, reqVal string) bool {
	anyMatch, anyErr := false, false
	for i := range c.values {
		m, ok := c.match(r, &c.values[i], reqVal)
		if !ok {
			anyErr = true
			continue
		}
		if m {
			anyMatch = true
			if !c.op.negated {
				return true
			}
		}
	}
	if c.op.negated {
		return !anyMatch && !anyErr
	}
	return anyMatch
}

// resolved returns the policy value with variables substituted.
func (cv *cval) resolved(r *Request) (string, bool) {
	if !cv.t.hasVars() {
		return cv.t.raw, true
	}
	s, _, ok := cv.t.resolve(r)
	return s, ok
}

// match compares one policy value with one request value (without
// negation). ok is false when either side is unusable for the operator.
func (c *ccond) match(r *Request, pv *cval, reqVal string) (matched, ok bool) {
	switch c.op.family {
	case fString:
		s, ok := pv.resolved(r)
		return ok && s == reqVal, ok
	case fStringIgnoreCase:
		s, ok := pv.resolved(r)
		return ok && strings.EqualFold(s, reqVal), ok
	case fStringLike:
		if !pv.t.hasVars() {
			return pv.t.glob.match(pv.t.raw, reqVal), true
		}
		_, toks, ok := pv.t.resolve(r)
		return ok && globTokens(toks, reqVal), ok
	case fBinary:
		s, ok := pv.resolved(r)
		return ok && s == reqVal, ok
	case fBool:
		s, ok := pv.resolved(r)
		if !ok {
			return false, false
		}
		a, okA := parseBool(s)
		b, okB := parseBool(reqVal)
		if !okA || !okB {
			return false, false
		}
		return a == b, true
	case fNumeric:
		n, ok := pv.num, pv.numOK
		if pv.t.hasVars() {
			s, rok := pv.resolved(r)
			if !rok {
				return false, false
			}
			n, ok = parseNumber(s)
		}
		q, qok := parseNumber(reqVal)
		if !ok || !qok {
			return false, false
		}
		return compare(c.op.cmp, cmp3(q, n)), true
	case fDate:
		d, ok := pv.date, pv.dateOK
		if pv.t.hasVars() {
			s, rok := pv.resolved(r)
			if !rok {
				return false, false
			}
			d, ok = parseDate(s)
		}
		q, qok := parseDate(reqVal)
		if !ok || !qok {
			return false, false
		}
		return compare(c.op.cmp, cmp3(float64(q), float64(d))), true
	case fIP:
		p, ok := pv.pfx, pv.pfxOK
		if pv.t.hasVars() {
			s, rok := pv.resolved(r)
			if !rok {
				return false, false
			}
			p, ok = parsePrefix(s)
		}
		addr, err := netip.ParseAddr(reqVal)
		if !ok || err != nil {
			return false, false
		}
		return p.Contains(addr), true
	case fARN:
		if _, valid := arn.Split(reqVal); !valid || !strings.HasPrefix(reqVal, "arn:") {
			return false, false
		}
		if !pv.t.hasVars() {
			if _, valid := arn.Split(pv.t.raw); !valid || !strings.HasPrefix(pv.t.raw, "arn:") {
				return false, false
			}
			return arn.Match(pv.t.raw, reqVal), true
		}
		_, toks, ok := pv.t.resolve(r)
		if !ok {
			return false, false
		}
		return matchARNTokens(toks, reqVal)
	}
	return false, false
}

// matchARNTokens matches a resolved ARN pattern against an ARN part by part.
func matchARNTokens(toks []gtok, s string) (matched, ok bool) {
	pp, okP := splitTokens(toks)
	sp, okS := arn.Split(s)
	if !okP || !okS {
		return false, false
	}
	for i := range pp {
		if !globTokens(pp[i], sp[i]) {
			return false, true
		}
	}
	return true, true
}

func cmp3(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare applies c to the result of comparing the request value with the
// policy value.
func compare(c cmp, r int) bool {
	switch c {
	case cLt:
		return r < 0
	case cLe:
		return r <= 0
	case cGt:
		return r > 0
	case cGe:
		return r >= 0
	}
	return r == 0
}

func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseNumber reads a decimal number (digits, a sign, a point, an
// exponent). Go's other forms ("0x1p4", "1_000", "Inf", "NaN") are not
// numbers to IAM.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Trim(s, "0123456789+-.eE") != "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

var dateLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

// parseDate reads an ISO 8601 date or date-time (UTC when no zone is
// given) or an epoch time, and returns milliseconds since the epoch. Epoch
// values above 10^11 are taken as milliseconds, smaller ones as seconds
// (aws:EpochTime is in seconds; tools also pass milliseconds).
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e11 || n < -1e11 {
			return n, true
		}
		return n * 1000, true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// parsePrefix reads a CIDR block or a single address (as a /32 or /128).
func parsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}
