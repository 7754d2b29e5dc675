package similar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
)

// The files Write makes in an output folder: for staff, next to the
// class files, never in a student's folder.
const (
	JSONFile = "similarity.json"
	HTMLFile = "similarity.html"
)

// Write writes the report as similarity.json and similarity.html in out.
func Write(out string, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode similarity report: %w", err)
	}
	var h bytes.Buffer
	if err := page.Execute(&h, view(r)); err != nil {
		return fmt.Errorf("render similarity report: %w", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("write similarity report: %w", err)
	}
	for name, data := range map[string][]byte{JSONFile: append(b, '\n'), HTMLFile: h.Bytes()} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return fmt.Errorf("write similarity report: %w", err)
		}
	}
	return nil
}

// pageView is what the page shows; excerpts are cut from the files here
// so the template stays plain.
type pageView struct {
	*Report
	Tasks []taskView
}

type taskView struct {
	TaskReport
	Pairs []pairView
}

type pairView struct {
	Pair
	Percent  string
	Excerpts []excerpt
}

type excerpt struct {
	Region
	A, B string
}

// maxExcerptLines bounds each side of a shown region.
const maxExcerptLines = 40

func view(r *Report) pageView {
	v := pageView{Report: r}
	for _, t := range r.Tasks {
		tv := taskView{TaskReport: t}
		for _, p := range t.Pairs {
			pv := pairView{Pair: p, Percent: fmt.Sprintf("%.0f%%", 100*p.Similarity)}
			for _, reg := range p.Regions[:min(len(p.Regions), 5)] {
				pv.Excerpts = append(pv.Excerpts, excerpt{Region: reg,
					A: lines(p.A.Text, reg.AFrom, reg.ATo), B: lines(p.B.Text, reg.BFrom, reg.BTo)})
			}
			tv.Pairs = append(tv.Pairs, pv)
		}
		v.Tasks = append(v.Tasks, tv)
	}
	return v
}

// lines are lines from..to (1-based) of text, numbered, at most
// maxExcerptLines of them.
func lines(text string, from, to int) string {
	all := strings.Split(text, "\n")
	var b strings.Builder
	for n := from; n <= to && n <= len(all) && n-from < maxExcerptLines; n++ {
		fmt.Fprintf(&b, "%4d  %s\n", n, strings.TrimRight(all[n-1], "\r"))
	}
	if to-from+1 > maxExcerptLines {
		fmt.Fprintf(&b, "      (%d more lines)\n", to-from+1-maxExcerptLines)
	}
	return b.String()
}

// page is the staff report. html/template escapes every student name,
// path and line; there is no script and nothing is fetched.
var page = template.Must(template.New("similarity").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Similar submissions (staff only)</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:.85em;margin:0}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.5em;margin:.5em 0}.note{color:#555}
</style></head><body>
<h1>Similar submissions</h1>
<p class="note">For course staff only: similarity is a reason to look, not a verdict. Files are compared after
removing comments, names, literals, includes, the module boilerplate, the task's skeleton and any passage
found in more than a quarter of the class (winnowing over {{.K}}-token k-grams, window {{.Window}});
pairs from {{pct .Threshold}} are shown.</p>
{{range .Tasks}}<h2>{{.Task}}</h2>
<p>{{.Files}} file(s){{if .Short}}; too short to compare: {{range $i, $s := .Short}}{{if $i}}, {{end}}{{$s}}{{end}}{{end}}.</p>
{{if not .Pairs}}<p>No pair above the threshold.</p>{{else}}
<table><tr><th>similarity</th><th>student A</th><th>file</th><th>student B</th><th>file</th><th>A covered</th><th>B covered</th></tr>
{{range .Pairs}}<tr><td>{{.Percent}}</td><td>{{.A.Student}}</td><td>{{.A.Path}}</td><td>{{.B.Student}}</td><td>{{.B.Path}}</td>
<td>{{pct .ACovered}}</td><td>{{pct .BCovered}}</td></tr>
{{end}}</table>
{{range $p := .Pairs}}<details><summary>{{$p.Percent}}: {{$p.A.Student}} and {{$p.B.Student}}, {{len $p.Regions}} matching region(s)</summary>
{{range $p.Excerpts}}<div class="side"><div><p>{{$p.A.Student}}: {{$p.A.Path}} lines {{.AFrom}}-{{.ATo}}</p><pre>{{.A}}</pre></div>
<div><p>{{$p.B.Student}}: {{$p.B.Path}} lines {{.BFrom}}-{{.BTo}}</p><pre>{{.B}}</pre></div></div>
{{end}}</details>
{{end}}{{end}}{{end}}
</body></html>
`))
