package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// hostile are strings a student controls (a printk line, a file name, a
// compiler message quoting their code), each trying to become markup.
var hostile = []string{
	"```\n<script>alert(1)</script>\n```",
	"````` five backticks ``` three",
	"~~~\nnot code\n~~~",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	"![track](https://evil.example/p.png)",
	"[ref]: https://evil.example",
	"<https://evil.example>",
	"see https://evil.example/x and www.evil.example and mail@evil.example",
	"&lt;script&gt; &#60;b&#62; &amp;",
	"::error::pwned",
	"=cmd|' /C calc'!A0",
	"# heading", "- item", "+ item", "1. item", "12) item", "> quote", "[ ] task",
	"**bold** __bold__ *em* _em_ ~~del~~ `code` $x^2$ a\\*b",
	"| a | b |\n|---|---|",
	"line one\nline two\r\nline three",
	"red \x1b[31mALERT\x1b[0m bell\a nul\x00 c1\u009b",
	"bad utf8 \xff\xfe end",
	"    indented four",
	"trailing backslash \\",
}

// render renders md as GitHub does (CommonMark + GFM tables, autolinks,
// strikethrough, task lists), letting raw HTML through so that any HTML
// the escaping missed would show.
func render(t *testing.T, md string) *html.Node {
	t.Helper()
	var out bytes.Buffer
	g := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	if err := g.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// elements lists the element names under the body, in document order, and
// the text of the whole body.
func elements(doc *html.Node) (tags []string, text string) {
	var b strings.Builder
	var walk func(n *html.Node, inBody bool)
	walk = func(n *html.Node, inBody bool) {
		switch {
		case n.Type == html.ElementNode && n.Data == "body":
			inBody = true
		case n.Type == html.ElementNode && inBody:
			tags = append(tags, n.Data)
		case n.Type == html.TextNode && inBody:
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody)
		}
	}
	walk(doc, false)
	return tags, b.String()
}

// asText is what MarkdownText's output should read as once rendered.
func asText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\n':
			return ' '
		case isControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

func TestMarkdownTextStaysText(t *testing.T) {
	contexts := []struct {
		name         string
		before, then string
		tags         []string
	}{
		{"list item", "- ", "\n", []string{"ul", "li"}},
		{"heading", "# ", ": 3 / 5\n", []string{"h1"}},
		{"bold", "**", "**\n", []string{"p", "strong"}},
		{"table cell", "| a | b |\n|---|---|\n| x | ", " |\n", []string{"table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"}},
	}
	for _, c := range contexts {
		for _, s := range hostile {
			md := c.before + MarkdownText(s) + c.then
			tags, text := elements(render(t, md))
			if !slices.Equal(tags, c.tags) {
				t.Errorf("%s: %q rendered with elements %v, want %v\nmarkdown: %q", c.name, s, tags, c.tags, md)
			}
			want := strings.TrimSpace(asText(s))
			if !strings.Contains(strings.Join(strings.Fields(text), " "), strings.Join(strings.Fields(want), " ")) {
				t.Errorf("%s: %q rendered as text %q, want it to read %q\nmarkdown: %q", c.name, s, text, want, md)
			}
		}
	}
}

func TestMarkdownFenceHoldsAnything(t *testing.T) {
	for _, s := range hostile {
		md := "before\n\n" + MarkdownFence("diff", s) + "\nafter\n"
		tags, text := elements(render(t, md))
		if want := []string{"p", "pre", "code", "p"}; !slices.Equal(tags, want) {
			t.Errorf("%q rendered with elements %v, want %v\nmarkdown: %q", s, tags, want, md)
			continue
		}
		want := "before\n" + cleanControl(s) + "\n\nafter\n"
		if text != want {
			t.Errorf("%q rendered as text %q, want %q", s, text, want)
		}
	}
}

func TestMarkdownFenceLength(t *testing.T) {
	tests := []struct{ in, fence string }{
		{"plain", "```"},
		{"a `b` c", "```"},
		{"``` inside", "````"},
		{"x ````` y ``", "``````"},
	}
	for _, tc := range tests {
		got := MarkdownFence("", tc.in)
		if !strings.HasPrefix(got, tc.fence+"\n") || !strings.HasSuffix(got, "\n"+tc.fence+"\n") {
			t.Errorf("MarkdownFence(%q) = %q, want fences of %d backticks", tc.in, got, len(tc.fence))
		}
	}
}
