package overview

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders a report. goldmark's HTML renderer leaves out raw HTML
// and links to script: URLs unless told to be unsafe, which it is not, so
// whatever a student's text holds stays text (lab/report escapes it in
// report.md too: this is a second wall, not the only one).
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table))

func render(t *template.Template, data any) ([]byte, error) {
	var b bytes.Buffer
	err := t.Execute(&b, data)
	return b.Bytes(), err
}

// studentHTML is a student's page: their report rendered.
func studentHTML(assignment string, s studentView) ([]byte, error) {
	var body bytes.Buffer
	if err := markdown.Convert([]byte(s.Report), &body); err != nil {
		return nil, err
	}
	return render(studentPage, map[string]any{
		"Assignment": assignment, "S": s,
		"Body":   template.HTML(body.String()), // goldmark's safe output, see markdown
		"Folder": "../../" + escapePath(s.Folder),
	})
}

// escapePath escapes each segment of a slash path for an href.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

var funcs = template.FuncMap{"page": func(name string) string { return "students/" + url.PathEscape(name) }}

var indexPage = template.Must(template.New("index").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Assignment}}: class overview</title>
<link rel="stylesheet" href="style.css">
</head><body>
<h1>{{.Assignment}}: class overview</h1>
<p>{{len .Students}} student(s){{if .Mean}}, mean {{.Mean}} of {{.Max}} points{{end}}.
{{range .Files}}<a href="../{{.}}">{{.}}</a> {{end}}</p>

<h2>Score distribution</h2>
<div class="dists">
{{range .Dists}}<figure class="dist{{if .All}} all{{end}}"><figcaption>{{.Task}} (of {{.Max}})</figcaption>
<table>{{range .Bars}}<tr><th>{{.Label}}</th><td><span class="bar" style="width: {{.Width}}%"></span></td><td class="n">{{.Count}}</td></tr>{{end}}</table>
</figure>
{{end}}</div>

<h2>Where points were lost</h2>
{{if not .Reasons}}<p>Every graded task earned full points.</p>{{else}}
<table class="reasons"><tr><th>task</th><th>verdict</th><th>cause</th><th>parts lost</th><th>students</th><th>for example</th></tr>
{{range .Reasons}}<tr><td>{{.Task}}</td><td>{{.Verdict}}</td><td>{{or .Cause "-"}}</td><td>{{range $i, $p := .Lost}}{{if $i}}, {{end}}{{$p}}{{end}}</td>
<td class="n">{{.Count}}</td><td><a href="{{page .Example.Page}}">{{.Example.Name}}</a>: <span class="why">{{.Problem}}</span></td></tr>
{{end}}</table>{{end}}

<h2>Students</h2>
<table class="students"><tr><th>student</th>{{range .Tasks}}<th>{{.Name}}</th>{{end}}<th>total</th></tr>
{{range .Students}}<tr><td><a href="{{page .Page}}">{{.Name}}</a>{{if .Problem}} <span class="why">{{.Problem}}</span>{{end}}</td>
{{range .Cells}}<td class="{{.Class}}" title="{{.Title}}">{{.Text}}</td>{{end}}<td class="n">{{.Total}}/{{.Max}}</td></tr>
{{end}}</table>
<p class="note">Staff view, made by lkmlab grade with the class files. Each student's page is their report.md.</p>
</body></html>
`))

var studentPage = template.Must(template.New("student").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.S.Name}}: {{.Assignment}}</title>
<link rel="stylesheet" href="../style.css">
</head><body>
<p><a href="../index.html">class overview</a> · <a href="{{.Folder}}/report.md">report.md</a> ·
<a href="{{.Folder}}/result.json">result.json</a> · <a href="{{.Folder}}/logs/">logs</a></p>
<article class="report">
{{.Body}}
</article>
</body></html>
`))

const css = `body{font-family:system-ui,sans-serif;margin:2em;max-width:90em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
.n{text-align:right}
.full{background:#d9f2d9}.part{background:#fff1c2}.none{background:#f8d0d0}.missing{background:#eee;color:#777}
.dists{display:flex;flex-wrap:wrap;gap:1.5em}
.dist table td,.dist table th{border:none;padding:0 .3em}
.dist td:nth-child(2){width:10em}
.bar{display:inline-block;height:.8em;background:#4a7bd0;min-width:1px}
.why{color:#555;font-size:.9em}
.note{color:#555}
.report pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap}
.report table td,.report table th{padding:.1em .4em}
`
