package web_test

// Browser tests of taking a drawing away: the graph and the time axis as SVG and PNG.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"regexp"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// catchDownloads makes the page keep every blob it offers as a download (the app offers a
// file by clicking a link to a blob: URL), and the browser save none to disk. The blobs are
// kept as the page makes their URLs, since the page's policy forbids fetching them back.
func (p *page) catchDownloads() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		p.t.Fatalf("deny downloads: %v", err)
	}
	p.eval(`(() => {
	  window.__downloads = [];
	  window.__blobs = new Map();
	  const create = URL.createObjectURL;
	  URL.createObjectURL = (b) => { const u = create.call(URL, b); window.__blobs.set(u, b); return u; };
	  HTMLAnchorElement.prototype.click = new Proxy(HTMLAnchorElement.prototype.click, { apply(f, a, args) {
	    if (a.download && a.href.startsWith('blob:')) window.__downloads.push({name: a.download, blob: window.__blobs.get(a.href)});
	    return Reflect.apply(f, a, args);
	  }});
	  return true;
	})()`, new(bool))
}

// downloaded is a file the page offered.
type downloaded struct {
	Name, Type string
	Body       []byte
}

// lastDownload waits for the n-th download (counting from 1) and reads it through its blob URL.
func (p *page) lastDownload(n int) downloaded {
	p.t.Helper()
	p.waitFor(fmt.Sprintf("download %d", n), fmt.Sprintf(`window.__downloads.length >= %d`, n))
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	js := fmt.Sprintf(`(async () => {
	  const d = window.__downloads[%d];
	  const b = d.blob;
	  const bytes = new Uint8Array(await b.arrayBuffer());
	  let bin = ''; for (const c of bytes) bin += String.fromCharCode(c);
	  return JSON.stringify({name: d.name, type: b.type, body: btoa(bin)});
	})()`, n-1)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("read download %d: %v", n, err)
	}
	var d struct{ Name, Type, Body string }
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		p.t.Fatal(err)
	}
	body, err := base64.StdEncoding.DecodeString(d.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return downloaded{Name: d.Name, Type: d.Type, Body: body}
}

// checkStandaloneSVG parses an exported SVG and checks it stands alone: no stylesheet or class
// to style it, no reference outside the file; returns its text content and size.
func checkStandaloneSVG(t *testing.T, body []byte) (text string, width, height int) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	var all strings.Builder
	elements := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			elements++
			if elements == 1 {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("the root is %v, want an svg element in the SVG namespace", tok.Name)
				}
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "width":
						fmt.Sscan(a.Value, &width)
					case "height":
						fmt.Sscan(a.Value, &height)
					}
				}
			}
			if tok.Name.Local == "style" || tok.Name.Local == "script" || tok.Name.Local == "image" || tok.Name.Local == "foreignObject" || tok.Name.Local == "a" {
				t.Errorf("the SVG has a <%s> element", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				if a.Name.Local == "class" || a.Name.Local == "href" || strings.HasPrefix(a.Name.Local, "on") {
					t.Errorf("<%s> has %s=%q: the file must carry its styles and refer to nothing", tok.Name.Local, a.Name.Local, a.Value)
				}
				if strings.Contains(a.Value, "url(") && !regexp.MustCompile(`^url\("?#[\w-]+"?\)$`).MatchString(a.Value) {
					t.Errorf("<%s %s=%q> refers outside the file", tok.Name.Local, a.Name.Local, a.Value)
				}
			}
		case xml.CharData:
			all.Write(tok)
			all.WriteByte(' ')
		}
	}
	if width <= 0 || height <= 0 {
		t.Errorf("the SVG is %d×%d", width, height)
	}
	return all.String(), width, height
}

func checkPNG(t *testing.T, d downloaded, width, height int) {
	t.Helper()
	if d.Type != "image/png" || !strings.HasSuffix(d.Name, ".png") {
		t.Errorf("the PNG download is %s of type %s", d.Name, d.Type)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(d.Body))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	if cfg.Width != 2*width || cfg.Height != 2*height {
		t.Errorf("the PNG is %d×%d, want twice the SVG's %d×%d", cfg.Width, cfg.Height, width, height)
	}
	img, err := png.Decode(bytes.NewReader(d.Body))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	// Something is drawn: not every pixel is the white background.
	b := img.Bounds()
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0xA000 {
				dark++
			}
		}
	}
	if dark < 200 {
		t.Errorf("the PNG is nearly blank (%d dark samples)", dark)
	}
}

func TestExportTheDrawing(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	p.open("/explore?id=avtotor&asOf=2021&view=graph")
	p.waitFor("Avtotor as of 2021", hasNodes([]string{"kia", "hyundai", "bmw"}, []string{"kaiyi"}))
	p.catchDownloads()

	p.run("export SVG", chromedp.Click(chromedp.CSS(`.graph-toolbar .export-svg`)))
	svgFile := p.lastDownload(1)
	if svgFile.Name != "autograph-avtotor-2021.svg" || svgFile.Type != "image/svg+xml" {
		t.Errorf("the SVG download is %s of type %s", svgFile.Name, svgFile.Type)
	}
	text, w, h := checkStandaloneSVG(t, svgFile.Body)
	// The seed's Avtotor relations as of 2021 cite one source (TASS).
	for _, want := range []string{"Avtotor, 1 hop, as of 2021: 6 entities, 6 relations", "as of 2021", "Sources: 1 (TASS)", "Kia", "Hyundai", "BMW", "In force"} {
		if !strings.Contains(text, want) {
			t.Errorf("the SVG's text lacks %q:\n%s", want, text)
		}
	}
	// The relations keep their look: Kia's line in force (no dashes) and coloured.
	if !regexp.MustCompile(`stroke-dasharray="none"`).Match(svgFile.Body) || !strings.Contains(string(svgFile.Body), `fill="rgb(`) {
		t.Error("the SVG lacks the drawing's inlined styles")
	}

	p.run("export PNG", chromedp.Click(chromedp.CSS(`.graph-toolbar .export-png`)))
	pngFile := p.lastDownload(2)
	if pngFile.Name != "autograph-avtotor-2021.png" {
		t.Errorf("the PNG download is called %s", pngFile.Name)
	}
	checkPNG(t, pngFile, w, h)
	p.saveFile("export-avtotor-2021.png", pngFile.Body)

	// The time axis exports the same way.
	p.open("/explore?id=avtotor&asOf=2021&view=timeline")
	p.waitFor("the time axis", `document.querySelectorAll('.time-axis .bar-row').length > 10`)
	p.catchDownloads()
	p.run("export the axis as SVG", chromedp.Click(chromedp.CSS(`.axis-tools .export-svg`)))
	axisFile := p.lastDownload(1)
	text, w, h = checkStandaloneSVG(t, axisFile.Body)
	for _, want := range []string{"Avtotor over time", "as of 2021", "Sources: 1 (TASS)", "assembles → Kia"} {
		if !strings.Contains(text, want) {
			t.Errorf("the time axis SVG's text lacks %q:\n%s", want, text)
		}
	}
	p.run("export the axis as PNG", chromedp.Click(chromedp.CSS(`.axis-tools .export-png`)))
	checkPNG(t, p.lastDownload(2), w, h)
}
