// eso-template renders an ExternalSecret's target template the way External
// Secrets Operator's template engine v2 does (pkg/template/v2/template.go): Go's
// text/template with sprig v3's text functions, less env and expandenv. It reads
// {"template": {KEY: TEXT}, "data": {NAME: VALUE}} on stdin and writes
// {KEY: RENDERED} on stdout. The tests render the tree's templates through it
// wherever ESO itself does not run.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

type request struct {
	Template map[string]string `json:"template"`
	Data     map[string]string `json:"data"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "eso-template: cannot read the request: %v\n", err)
		os.Exit(2)
	}
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	rendered := make(map[string]string, len(req.Template))
	for key, text := range req.Template {
		parsed, err := template.New(key).Funcs(funcs).Parse(text)
		if err != nil {
			fmt.Fprintf(os.Stderr, "eso-template: unable to parse template at key %s: %v\n", key, err)
			os.Exit(1)
		}
		var out bytes.Buffer
		if err := parsed.Execute(&out, req.Data); err != nil {
			fmt.Fprintf(os.Stderr, "eso-template: unable to execute template at key %s: %v\n", key, err)
			os.Exit(1)
		}
		rendered[key] = out.String()
	}
	if err := json.NewEncoder(os.Stdout).Encode(rendered); err != nil {
		fmt.Fprintf(os.Stderr, "eso-template: %v\n", err)
		os.Exit(1)
	}
}
