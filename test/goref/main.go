// Command goref prints what the Go toolchain itself makes of cgo sources, so the unit tests
// can compare the engine with it: for each directory given on stdin (one per line), the
// preamble of every import "C" as cmd/cgo builds it (ParseGo + commentText), and the #cgo
// flags and error go/build's ImportDir reports for GOOS/GOARCH from the environment.
package main

import (
	"bufio"
	"encoding/json"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type preamble struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

type result struct {
	Dir       string              `json:"dir"`
	Preambles []preamble          `json:"preambles"`
	Flags     map[string][]string `json:"flags"`
	Error     string              `json:"error"`
}

// commentText is cmd/cgo's (ast.go), copied verbatim.
func commentText(g *ast.CommentGroup) string {
	var pieces []string
	for _, com := range g.List {
		c := com.Text
		switch c[1] {
		case '/':
			c = c[2:] + "\n"
		case '*':
			c = c[2 : len(c)-2]
		}
		pieces = append(pieces, c)
	}
	return strings.Join(pieces, "")
}

func preambles(dir string) []preamble {
	var out []preamble
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	sort.Strings(names)
	for _, name := range names {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			continue
		}
		// cmd/cgo ParseGo, ast.go.
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range d.Specs {
				s, ok := spec.(*ast.ImportSpec)
				if !ok || s.Path.Value != `"C"` {
					continue
				}
				cg := s.Doc
				if cg == nil && len(d.Specs) == 1 {
					cg = d.Doc
				}
				p := preamble{File: filepath.Base(name)}
				if cg != nil {
					p.Line = fset.Position(cg.Pos()).Line
					p.Text = commentText(cg)
				}
				out = append(out, p)
			}
		}
	}
	return out
}

func main() {
	ctxt := build.Default
	ctxt.CgoEnabled = true
	scanner := bufio.NewScanner(os.Stdin)
	encoder := json.NewEncoder(os.Stdout)
	for scanner.Scan() {
		dir := scanner.Text()
		r := result{Dir: dir, Preambles: preambles(dir), Flags: map[string][]string{}}
		pkg, err := ctxt.ImportDir(dir, 0)
		if err != nil {
			r.Error = err.Error()
		}
		if pkg != nil {
			r.Flags["CFLAGS"] = pkg.CgoCFLAGS
			r.Flags["CPPFLAGS"] = pkg.CgoCPPFLAGS
			r.Flags["CXXFLAGS"] = pkg.CgoCXXFLAGS
			r.Flags["FFLAGS"] = pkg.CgoFFLAGS
			r.Flags["LDFLAGS"] = pkg.CgoLDFLAGS
			r.Flags["pkg-config"] = pkg.CgoPkgConfig
		}
		if err := encoder.Encode(r); err != nil {
			panic(err)
		}
	}
}
