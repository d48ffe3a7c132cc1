package catalog

import "testing"

// BenchmarkLoad measures parsing the embedded catalog, which is what the
// first Load in a process costs.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		c, err := Parse(embedded)
		if err != nil {
			b.Fatal(err)
		}
		// A first query touches one service.
		if c.Action("ecs:RunTask") == nil {
			b.Fatal("no ecs:RunTask")
		}
	}
}

// BenchmarkLoadAll parses every service, as a first "*:Get*" would.
func BenchmarkLoadAll(b *testing.B) {
	for b.Loop() {
		c, err := Parse(embedded)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Check(); err != nil {
			b.Fatal(err)
		}
	}
}

var mixedPatterns = []string{"ecr:*", "ecs:Describe*", "s3:Get*", "iam:*User*", "ec2:Describe*",
	"lambda:*", "kms:*", "s3:*Object*", "sts:Assume*", "logs:Put*"}

// BenchmarkExpandMixed expands the mixed batch; ns/op is per pattern.
func BenchmarkExpandMixed(b *testing.B) {
	c := MustLoad()
	n := 0
	for b.Loop() {
		p := mixedPatterns[n%len(mixedPatterns)]
		n++
		if _, err := c.Expand(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClosest finds the did-you-mean of misspelt names among the
// 700-odd actions of EC2; ns/op is per name.
func BenchmarkClosest(b *testing.B) {
	s := MustLoad().Service("ec2")
	names := make([]string, len(s.Actions()))
	for i, a := range s.Actions() {
		names[i] = a.Name
	}
	typos := []string{"describeinstancez", "createvpcendpointsx", "getmanagedprefixlist", "runinstancess", "modifyzzzz", "associateaddressx"}
	for i := 0; b.Loop(); i++ {
		closest(typos[i%len(typos)], s.lower, names)
	}
}
