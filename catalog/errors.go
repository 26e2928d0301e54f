package catalog

import (
	"fmt"
	"strings"

	"github.com/daasflex/daasflex/rule"
)

// ruleErrorf returns a violation of rule id as an error.
func ruleErrorf(id, format string, args ...any) error { return rule.Errorf(id, format, args...) }

// withArticle returns v's text after "a" or "an", such as "an Active
// Directory" or "a non-domain-joined".
func withArticle(v fmt.Stringer) string {
	s := v.String()
	if s != "" && strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
