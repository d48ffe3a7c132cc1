package cfn

import (
	"os"
	"reflect"
	"testing"
)

func TestRoles(t *testing.T) {
	data, err := os.ReadFile("testdata/attached.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tp := parse(t, "attached.yaml", data)
	roles, others := tp.Roles()
	type role struct {
		ID, Name          string
		Policies, Managed []string
	}
	var got []role
	for _, r := range roles {
		x := role{ID: r.ID, Name: r.Name, Managed: r.Managed}
		for _, p := range r.Policies {
			x.Policies = append(x.Policies, p.Where())
		}
		got = append(got, x)
	}
	want := []role{
		// Shared lists the role by name and the role lists Shared: once.
		{"TaskRole", "shop-task", []string{"Policies[0] (inline)", "AppPolicy (AWS::IAM::Policy)", "Shared (AWS::IAM::ManagedPolicy)"}, []string{"arn:aws:iam::aws:policy/AmazonS3FullAccess"}},
		{"ExecutionRole", "", []string{"AppPolicy (AWS::IAM::Policy)"}, []string{"arn:${AWS.Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("roles:\n got %+v\nwant %+v", got, want)
	}
	if len(others) != 2 || others[0].Policy.Holder != "AppPolicy" || !reflect.DeepEqual(others[0].Roles, []string{"ops-admin"}) ||
		others[1].Policy.Holder != "ByName" || !reflect.DeepEqual(others[1].Roles, []string{"${Missing}"}) {
		t.Errorf("others = %+v", others)
	}
}

func TestRoleRef(t *testing.T) {
	for in, want := range map[string]string{"${TaskRole}": "TaskRole", "${TaskRole.Arn}": "TaskRole", "${AWS.AccountId}": "", "x${TaskRole}": "", "${A.RoleId}": "", "${ImportValueX}": "ImportValueX"} {
		got, ok := RoleRef(in)
		if got != want || ok != (want != "") {
			t.Errorf("RoleRef(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}
