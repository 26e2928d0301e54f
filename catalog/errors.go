package catalog

import "github.com/daasflex/daasflex/rule"

// ruleErrorf returns a violation of rule id as an error.
func ruleErrorf(id, format string, args ...any) error { return rule.Errorf(id, format, args...) }
