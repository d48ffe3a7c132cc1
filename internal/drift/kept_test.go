package drift

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// TestReadTemplate: the roles a template keeps, with the policies it
// attaches to them (cfn.Template.Roles), in iamfit's parameters.
func TestReadTemplate(t *testing.T) {
	data, err := os.ReadFile("../cfn/testdata/attached.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ks, diags, err := Read(source.NewFile("attached.yaml", data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range ks {
		var where []string
		for _, d := range k.Docs {
			where = append(where, d.Where)
		}
		got = append(got, k.Label()+": "+strings.Join(where, "; ")+" | "+strings.Join(k.Unresolved, ", "))
	}
	want := []string{
		"shop-task (TaskRole in attached.yaml): attached.yaml:15 TaskRole Policies[0]; attached.yaml:35 AppPolicy PolicyDocument; attached.yaml:42 Shared PolicyDocument | arn:aws:iam::aws:policy/AmazonS3FullAccess",
		"ExecutionRole in attached.yaml: attached.yaml:35 AppPolicy PolicyDocument | arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
		"ops-admin (AppPolicy in attached.yaml): attached.yaml:35 AppPolicy PolicyDocument | ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kept:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "ByName is attached to {{Missing}}") {
		t.Errorf("diags = %v", diags)
	}
}
