package commands

import (
	"path"
	"strings"
)

// wrappers run the command that follows their own options: the number is
// how many words after the wrapper are its own (besides -options).
var wrappers = map[string]bool{
	"sudo": true, "time": true, "exec": true, "nohup": true, "env": true, "timeout": true, "nice": true,
	"xargs": true, "parallel": true, "retry": true, "command": true, "builtin": true, "stdbuf": true, "watch": true,
}

// wrapperArgs are options of wrappers that take a value.
var wrapperArgs = map[string]map[string]bool{
	"xargs":    {"-I": true, "-n": true, "-P": true, "-L": true, "-d": true, "-E": true, "-s": true, "--max-args": true, "--max-procs": true, "--replace": true, "--delimiter": true},
	"parallel": {"-j": true, "--jobs": true, "-N": true, "--delay": true, "--retries": true, "-S": true, "--tagstring": true, "--joblog": true, "--results": true, "--timeout": true, "--halt": true, "--colsep": true, "-d": true, "--delimiter": true, "-a": true, "--arg-file": true},
	"timeout":  {"-s": true, "--signal": true, "-k": true, "--kill-after": true},
	"sudo":     {"-u": true, "-g": true, "-E": false},
	"env":      {"-u": true, "--unset": true, "-C": true, "--chdir": true},
	"nice":     {"-n": true},
	"retry":    {"-t": true, "--times": true, "-d": true, "--delay": true},
	"watch":    {"-n": true},
}

// unwrap returns the command a wrapper runs (xargs aws ..., env X=1 aws
// ..., timeout 5m aws ..., parallel aws ... ::: a b): the rest of the
// words after the wrapper's options and values.
func unwrap(args []string) ([]string, bool) {
	prog := path.Base(args[0])
	if !wrappers[prog] {
		return nil, false
	}
	i := 1
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--":
			i++
			goto done
		case strings.HasPrefix(a, "-"):
			if wrapperArgs[prog][a] {
				i++
			}
			i++
		case prog == "env" && strings.Contains(a, "="):
			i++
		case prog == "timeout" && i == 1:
			i++ // the duration
		default:
			goto done
		}
	}
done:
	if i >= len(args) {
		return nil, false
	}
	inner := args[i:]
	if prog == "parallel" {
		for k, w := range inner {
			if w == ":::" || w == "::::" {
				inner = inner[:k]
				break
			}
		}
	}
	return inner, len(inner) > 0
}

// quiet are programs that make no AWS call: shell builtins, file and
// text tools, version control, package installs and build tools that do
// not run project code with the credentials.
var quiet = map[string]bool{
	"echo": true, "printf": true, "cd": true, "pwd": true, "ls": true, "cat": true, "head": true, "tail": true,
	"grep": true, "egrep": true, "fgrep": true, "sed": true, "awk": true, "gawk": true, "jq": true, "yq": true,
	"cut": true, "tr": true, "sort": true, "uniq": true, "wc": true, "tee": true, "mkdir": true, "rm": true,
	"cp": true, "mv": true, "ln": true, "touch": true, "chmod": true, "chown": true, "test": true, "[": true,
	"[[": true, "true": true, "false": true, "exit": true, "return": true, "set": true, "unset": true,
	"export": true, "local": true, "declare": true, "readonly": true, "shift": true, "sleep": true, "date": true,
	"git": true, "base64": true, "sha256sum": true, "sha1sum": true, "md5sum": true, "find": true,
	"basename": true, "dirname": true, "realpath": true, "readlink": true, "mktemp": true, "tar": true, "gzip": true,
	"gunzip": true, "zip": true, "unzip": true, "envsubst": true, "curl": true, "wget": true, "which": true,
	"type": true, "hash": true, "trap": true, "wait": true, "read": true, "shopt": true, "umask": true,
	"apt-get": true, "apt": true, "apk": true, "yum": true, "dnf": true, "brew": true, "pip": true, "pip3": true,
	"gh": true, "column": true, "xxd": true, "od": true, "diff": true, "cmp": true, "comm": true, "paste": true,
	"rev": true, "seq": true, "expr": true, "bc": true, "uname": true, "whoami": true, "id": true, "hostname": true,
	"df": true, "du": true, "free": true, "ps": true, "kill": true, "pkill": true, "printenv": true, "tput": true,
	"openssl": true, "ssh-keygen": true, "ssh-keyscan": true, "rsync": true, "scp": true, "ssh": true,
	"file": true, "stat": true, "truncate": true, "fold": true, "fmt": true, "nl": true,
	"hadolint": true, "shellcheck": true, "actionlint": true, "trivy": true, "grype": true, "syft": true,
	"cosign": true, "crane": true, "skopeo": true, "iamfit": true, "}": true, ")": true,
	"fi": true, "done": true, "esac": true, "break": true, "continue": true, "function": true, "case": true,
	":": true, "ulimit": true, "cygpath": true, "psql": true, "mysql": true, "redis-cli": true, "snap": true, "rustup": true, "pg_dump": true,
}

// quietSub are programs that are quiet for some subcommands only (a
// package install, a version check, a build or test that does not reach
// AWS with the job's credentials).
var quietSub = map[string]map[string]bool{
	"npm":       {"ci": true, "install": true, "i": true, "test": true, "--version": true, "config": true, "version": true, "pack": true, "audit": true},
	"yarn":      {"install": true, "--frozen-lockfile": true, "test": true, "--version": true},
	"pnpm":      {"install": true, "i": true, "test": true, "--version": true},
	"go":        {"build": true, "test": true, "vet": true, "mod": true, "version": true, "env": true, "install": true, "generate": true},
	"python":    {"--version": true, "-V": true},
	"python3":   {"--version": true, "-V": true},
	"node":      {"--version": true, "-v": true},
	"terraform": {"fmt": true, "validate": true, "version": true, "-version": true, "--version": true},
	"make":      {"--version": true},
	"mvn":       {"--version": true, "-v": true, "package": true, "test": true, "verify": true},
	"gradle":    {"--version": true, "build": true, "test": true},
	"./gradlew": {"build": true, "test": true},
	"cargo":     {"build": true, "test": true, "--version": true, "install": true, "fmt": true, "clippy": true},
	"dotnet":    {"build": true, "test": true, "restore": true, "--version": true},
	"composer":  {"install": true},
	"bundle":    {"install": true},
	"poetry":    {"install": true},
	"uv":        {"sync": true, "pip": true},
	"kubectl":   {"version": true},
	"helm":      {"version": true, "lint": true, "template": true},
}

// noAWS reports whether a command is known to make no AWS call.
func noAWS(args []string) bool {
	prog := path.Base(args[0])
	if quiet[prog] || strings.Contains(args[0], "=") {
		return true
	}
	if subs, ok := quietSub[prog]; ok && len(args) > 1 {
		return subs[args[1]]
	}
	return false
}
