package commands

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// tfstateIndex is a Terraform state file (format version 4) of the
// repository, for the tfstate plugin's lookups (fujiwara/tfstate-lookup):
// "TYPE.NAME.ATTR", "data.TYPE.NAME.ATTR", "module.M.TYPE.NAME.ATTR",
// indexed instances "TYPE.NAME[0].ATTR" / "TYPE.NAME[\"k\"].ATTR", nested
// attributes "ATTR.KEY" / "ATTR[0]", and "output.NAME".
type tfstateIndex struct {
	Outputs   map[string]struct{ Value any } `json:"outputs"`
	Resources []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   any            `json:"index_key"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

func parseTFState(data []byte) (*tfstateIndex, error) {
	var s tfstateIndex
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// lookup resolves an address to its string value (tfstate-lookup prints
// non-strings as JSON).
func (s *tfstateIndex) lookup(addr string) (string, bool) {
	addr = strings.ReplaceAll(addr, "'", `"`)
	if rest, ok := strings.CutPrefix(addr, "output."); ok {
		name, path := splitFirst(rest)
		o, ok := s.Outputs[name]
		if !ok {
			return "", false
		}
		return walkAttr(o.Value, path)
	}
	for _, r := range s.Resources {
		prefix := r.Type + "." + r.Name
		if r.Mode == "data" {
			prefix = "data." + prefix
		}
		if r.Module != "" {
			prefix = r.Module + "." + prefix
		}
		rest, ok := strings.CutPrefix(addr, prefix)
		if !ok {
			continue
		}
		for _, in := range r.Instances {
			tail := rest
			if in.IndexKey != nil {
				var idx string
				switch k := in.IndexKey.(type) {
				case string:
					idx = fmt.Sprintf("[%q]", k)
				case float64:
					idx = "[" + strconv.Itoa(int(k)) + "]"
				}
				t, ok := strings.CutPrefix(tail, idx)
				if !ok {
					continue
				}
				tail = t
			}
			if tail == "" || tail[0] != '.' {
				continue
			}
			return walkAttr(map[string]any(in.Attributes), tail[1:])
		}
	}
	return "", false
}

// splitFirst splits "name.rest" / "name[0].rest" at the first separator.
func splitFirst(s string) (string, string) {
	i := strings.IndexAny(s, ".[")
	if i < 0 {
		return s, ""
	}
	if s[i] == '.' {
		return s[:i], s[i+1:]
	}
	return s[:i], s[i:]
}

// walkAttr follows "a.b[0].c" into v.
func walkAttr(v any, path string) (string, bool) {
	for path != "" {
		if path[0] == '[' {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return "", false
			}
			key := path[1:end]
			path = strings.TrimPrefix(path[end+1:], ".")
			switch x := v.(type) {
			case []any:
				i, err := strconv.Atoi(key)
				if err != nil || i < 0 || i >= len(x) {
					return "", false
				}
				v = x[i]
			case map[string]any:
				k, err := strconv.Unquote(key)
				if err != nil {
					return "", false
				}
				v = x[k]
			default:
				return "", false
			}
			continue
		}
		var name string
		name, path = splitFirst(path)
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		if v, ok = m[name]; !ok {
			return "", false
		}
	}
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	default:
		b, err := json.Marshal(x)
		return string(b), err == nil
	}
}
