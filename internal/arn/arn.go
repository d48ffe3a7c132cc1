// Package arn parses and validates Amazon Resource Names, matches them the
// way IAM matches the Resource element, and decides which resource types of
// the catalog an ARN or ARN pattern can denote.
package arn

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
)

// ARN is an Amazon Resource Name split into its six parts.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String joins the parts back into "arn:partition:service:region:account:resource".
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Split splits s into its six colon-separated parts ("arn", partition,
// service, region, account, resource); the resource keeps any further
// colons. ok is false when s has fewer than six parts.
//
// A colon inside a policy variable (${aws:PrincipalAccount}) does not
// separate parts: IAM substitutes the variable first.
func Split(s string) (parts [6]string, ok bool) {
	if strings.IndexByte(s, '$') < 0 {
		// No policy variable: each colon separates.
		for i := 0; i < 5; i++ {
			j := strings.IndexByte(s, ':')
			if j < 0 {
				return parts, false
			}
			parts[i], s = s[:j], s[j+1:]
		}
		parts[5] = s
		return parts, true
	}
	return splitVars(s)
}

// splitVars is Split for a string that may hold policy variables.
func splitVars(s string) (parts [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := colon(s)
		if j < 0 {
			return parts, false
		}
		parts[i], s = s[:j], s[j+1:]
	}
	parts[5] = s
	return parts, true
}

// colon returns the index of the first ':' of s outside ${...}, or -1.
func colon(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':':
			return i
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				if j := strings.IndexByte(s[i:], '}'); j > 0 {
					i += j
				}
			}
		}
	}
	return -1
}

// Parse reads an ARN or ARN pattern. It checks the shape (the "arn" prefix
// and six parts) and, in parts without wildcards or policy variables, the
// partition, region and account formats.
func Parse(s string) (ARN, error) {
	p, ok := Split(s)
	if !ok {
		if i := strings.Index(s, "arn:"); i > 0 {
			return ARN{}, fmt.Errorf("%q has %q before \"arn:\"", s, s[:i])
		}
		return ARN{}, fmt.Errorf("%q is not an ARN: want arn:partition:service:region:account:resource", s)
	}
	if p[0] != "arn" {
		if i := strings.Index(s, "arn:"); i > 0 {
			return ARN{}, fmt.Errorf("%q has %q before \"arn:\"", s, s[:i])
		}
		return ARN{}, fmt.Errorf("%q does not start with \"arn:\"", s)
	}
	a := ARN{Partition: p[1], Service: p[2], Region: p[3], Account: p[4], Resource: p[5]}
	if !hasWild(a.Partition) && !ValidPartition(a.Partition) {
		return a, fmt.Errorf("%q: unknown partition %q (want aws, aws-cn, aws-us-gov, ...)", s, a.Partition)
	}
	if a.Service == "" {
		return a, fmt.Errorf("%q: the service part is empty", s)
	}
	if !hasWild(a.Region) && !ValidRegion(a.Region) {
		return a, fmt.Errorf("%q: %q is not a region", s, a.Region)
	}
	if !hasWild(a.Account) && !ValidAccount(a.Account) && a.Account != "aws" {
		return a, fmt.Errorf("%q: %q is not an account id (12 digits)", s, a.Account)
	}
	if a.Resource == "" {
		return a, fmt.Errorf("%q: the resource part is empty", s)
	}
	return a, nil
}

// FromParts is Parse for a string already split by Split: ok reports
// whether Parse would accept it, without making the error.
func FromParts(p [6]string) (a ARN, ok bool) {
	if p[0] != "arn" {
		return ARN{}, false
	}
	a = ARN{Partition: p[1], Service: p[2], Region: p[3], Account: p[4], Resource: p[5]}
	// The checks of Parse, the valid forms (the usual case) first.
	switch {
	case !ValidPartition(a.Partition) && !hasWild(a.Partition),
		a.Service == "",
		!ValidRegion(a.Region) && !hasWild(a.Region),
		!ValidAccount(a.Account) && a.Account != "aws" && !hasWild(a.Account),
		a.Resource == "":
		return a, false
	}
	return a, true
}

// hasWild reports whether s holds a wildcard or a policy variable.
func hasWild(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?':
			return true
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				return true
			}
		}
	}
	return false
}

// PartitionOf returns the partition of a region by its prefix ("aws" for
// the commercial regions and for a region it cannot tell): cn-* are in
// aws-cn, us-gov-* in aws-us-gov, us-iso-* in aws-iso, us-isob-* in
// aws-iso-b, eu-isoe-* in aws-iso-e, us-isof-* in aws-iso-f, eusc-* in
// aws-eusc.
func PartitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-isof-"):
		return "aws-iso-f"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}

// ValidPartition reports whether s names an AWS partition.
func ValidPartition(s string) bool {
	switch s {
	case "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc":
		return true
	}
	return false
}

// ValidRegion reports whether s is empty or has the shape of a region name:
// "us-east-1", "us-gov-west-1", "cn-north-1", "eu-isoe-west-1".
func ValidRegion(s string) bool {
	if s == "" {
		return true
	}
	// The parts between '-', without allocating: three or four.
	var buf [4]string
	n, rest, last := 0, s, false
	for n < len(buf) {
		i := strings.IndexByte(rest, '-')
		if i < 0 {
			buf[n], last = rest, true
			n++
			break
		}
		buf[n], rest = rest[:i], rest[i+1:]
		n++
	}
	if !last || n < 3 {
		return false
	}
	parts := buf[:n]
	if len(parts[0]) != 2 || !isLower(parts[0]) {
		return false
	}
	if len(parts) == 4 {
		switch parts[1] {
		case "gov", "iso", "isob", "isoe", "isof":
		default:
			return false
		}
	}
	dir, num := parts[len(parts)-2], parts[len(parts)-1]
	return dir != "" && isLower(dir) && num != "" && isDigits(num)
}

// ValidAccount reports whether s is empty or a 12-digit account id.
func ValidAccount(s string) bool { return s == "" || (len(s) == 12 && isDigits(s)) }

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Match reports whether the Resource pattern matches the concrete ARN s, as
// IAM matches the Resource element and ArnLike: "*" matches everything;
// otherwise each of the six colon-separated parts is matched separately with
// the wildcards '*' and '?', case-sensitively, and in the resource part '*'
// also crosses ':' and '/'.
func Match(pattern, s string) bool {
	if pattern == "*" {
		return true
	}
	pp, ok1 := Split(pattern)
	sp, ok2 := Split(s)
	if !ok1 || !ok2 {
		return pattern == s
	}
	for i := range pp {
		if !catalog.Match(pp[i], sp[i]) {
			return false
		}
	}
	return true
}

// RoleARN completes a role name (or path/name) into the role's ARN in the
// account; an ARN is returned as it is.
func RoleARN(nameOrARN, account string) string {
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN
	}
	return "arn:aws:iam::" + account + ":role/" + strings.TrimPrefix(nameOrARN, "/")
}
