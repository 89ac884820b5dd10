// Command oracle evaluates CockroachDB identity maps with Go's own regexp package, the way the cluster's identmap
// package does (written from its observable behaviour; no CockroachDB code): bufio.Scanner lines, '#' comments,
// strings.TrimSpace, three fields matched by ^(\S+)\s+(\S+)\s+(\S+)$, literal identities as ^QuoteMeta$, the first
// \1 replaced by group 1, empty results skipped, de-duplication on the substituted text, lower-casing as
// lexbase.NormalizeName does (İ and ı become i). NFC is left to the caller: the standard library has no normaliser.
//
// Go older than 1.22 does not know (?<name>...); the oracle rewrites a group opening "(?<" to "(?P<" (outside
// classes and \Q...\E) and rewrites "(?P<" back to "(?<" in any error message, so it judges as Go 1.22+ does.
//
// Input (stdin): JSON array of {"config","ignoreCase","issuer","principals"}.
// Output (stdout): JSON array of {"error"} or {"names": [[...] per principal]}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unicode"
)

type request struct {
	Config     string   `json:"config"`
	IgnoreCase bool     `json:"ignoreCase"`
	Issuer     string   `json:"issuer"`
	Principals []string `json:"principals"`
}

type response struct {
	Error     *string    `json:"error,omitempty"`
	Names     [][]string `json:"names,omitempty"`
	Rewritten bool       `json:"rewritten,omitempty"`
}

type rule struct {
	user    string
	pattern *regexp.Regexp
	subAt   int
}

var linePattern = regexp.MustCompile(`^(\S+)\s+(\S+)\s+(\S+)$`)

// rewriteNamedGroups turns "(?<" at a group opening into "(?P<".
func rewriteNamedGroups(p string) (string, bool) {
	var sb strings.Builder
	changed := false
	for i := 0; i < len(p); {
		switch {
		case strings.HasPrefix(p[i:], `\Q`):
			end := strings.Index(p[i+2:], `\E`)
			if end < 0 {
				sb.WriteString(p[i:])
				return sb.String(), changed
			}
			sb.WriteString(p[i : i+2+end+2])
			i += 2 + end + 2
		case p[i] == '\\' && i+1 < len(p):
			sb.WriteString(p[i : i+2])
			i += 2
		case p[i] == '[':
			j := i + 1
			if j < len(p) && p[j] == '^' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				if p[j] == '\\' {
					j++
				} else if strings.HasPrefix(p[j:], "[:") {
					if k := strings.Index(p[j+2:], ":]"); k >= 0 {
						j += 2 + k + 1
					}
				}
				j++
			}
			if j > len(p) {
				j = len(p)
			}
			sb.WriteString(p[i:j])
			i = j
		case strings.HasPrefix(p[i:], "(?<"):
			sb.WriteString("(?P<")
			i += 3
			changed = true
		default:
			sb.WriteByte(p[i])
			i++
		}
	}
	return sb.String(), changed
}

var turkish = unicode.SpecialCase{
	unicode.CaseRange{Lo: 0x130, Hi: 0x131, Delta: [unicode.MaxCase]rune{'I' - 0x130, 'i' - 0x130, 'I' - 0x130}},
}

func lower(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0x131 {
			return 'i'
		}
		return turkish.ToLower(r)
	}, s)
}

func parse(config string, ignoreCase bool) (map[string][]rule, bool, error) {
	rules := map[string][]rule{}
	rewrote := false
	scanner := bufio.NewScanner(strings.NewReader(config))
	lineNo := 0
	for scanner.Scan() {
		lineNo++
		line := scanner.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := linePattern.FindStringSubmatch(line)
		if len(parts) != 4 {
			return nil, rewrote, fmt.Errorf("unable to parse line %d: %q", lineNo, line)
		}
		var expr string
		if parts[2][0] == '/' {
			expr = parts[2][1:]
		} else {
			expr = "^" + regexp.QuoteMeta(parts[2]) + "$"
		}
		if ignoreCase {
			expr = "(?i)" + expr
		}
		compiled, changed := rewriteNamedGroups(expr)
		rewrote = rewrote || changed
		re, err := regexp.Compile(compiled)
		if err != nil {
			msg := err.Error()
			if changed && !strings.Contains(expr, "(?P<") {
				msg = strings.ReplaceAll(msg, "(?P<", "(?<")
			}
			return nil, rewrote, fmt.Errorf("unable to parse line %d: %s", lineNo, msg)
		}
		subAt := strings.Index(parts[3], `\1`)
		if subAt >= 0 && re.NumSubexp() == 0 {
			return nil, rewrote, fmt.Errorf(`saw \1 substitution on line %d, but pattern contains no subexpressions`, lineNo)
		}
		rules[parts[1]] = append(rules[parts[1]], rule{parts[3], re, subAt})
	}
	return rules, rewrote, nil
}

func mapNames(rules []rule, principal string) []string {
	names := []string{}
	seen := map[string]bool{}
	for _, r := range rules {
		m := r.pattern.FindStringSubmatch(principal)
		if m == nil {
			continue
		}
		n := r.user
		if r.subAt >= 0 {
			n = r.user[:r.subAt] + m[1] + r.user[r.subAt+2:]
		}
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		names = append(names, lower(n))
	}
	return names
}

func main() {
	var reqs []request
	if err := json.NewDecoder(os.Stdin).Decode(&reqs); err != nil {
		fmt.Fprintln(os.Stderr, "oracle: bad input:", err)
		os.Exit(2)
	}
	out := make([]response, len(reqs))
	for i, req := range reqs {
		rules, rewrote, err := parse(req.Config, req.IgnoreCase)
		out[i].Rewritten = rewrote
		if err != nil {
			msg := err.Error()
			out[i].Error = &msg
			continue
		}
		out[i].Names = [][]string{}
		for _, p := range req.Principals {
			out[i].Names = append(out[i].Names, mapNames(rules[req.Issuer], p))
		}
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(2)
	}
}
