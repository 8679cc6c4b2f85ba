package web_test

// Browser tests of the page at / without its CDN, and of the query console built into the
// server.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// cdnMode is what the tab does with requests to GraphiQL's CDN.
type cdnMode int

const (
	cdnRefused cdnMode = iota // fail at once, as with no network or a proxy that refuses
	cdnSilent                 // never answer, as behind a proxy that drops the requests
)

// interceptCDN makes every request of the tab to cdn.jsdelivr.net fail or hang, so the tests
// do not depend on whether this machine can reach the internet. It returns a function that
// reports the URLs intercepted.
func (p *page) interceptCDN(mode cdnMode) func() []string {
	p.t.Helper()
	var (
		seen = make(chan string, 64)
		urls []string
	)
	events := chromedp.Events(p.ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			seen <- ev.Request.URL
			if mode == cdnRefused {
				ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
				_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
				cancel()
			}
		}
	}()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "https://cdn.jsdelivr.net/*"}}}); err != nil {
		p.t.Fatalf("intercept the CDN: %v", err)
	}
	return func() []string {
		for {
			select {
			case u := <-seen:
				urls = append(urls, u)
			default:
				return urls
			}
		}
	}
}

// playgroundFailed is the condition that the page at / has given up on GraphiQL, says why in
// a sentence and links to the console.
const playgroundFailed = `(() => {
  const p = document.querySelector('#pg-status .pg-failed');
  return !!p && p.textContent.includes('GraphiQL could not be loaded') && p.textContent.includes('works offline') &&
    p.querySelector('a')?.getAttribute('href') === '/explore/console' && !document.body.innerText.includes('Loading…');
})()`

func TestPlaygroundWithoutItsCDN(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct {
		name   string
		mode   cdnMode
		reason string
	}{
		{"refused", cdnRefused, "did not load"},
		{"no answer", cdnSilent, "had not arrived after 4 seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The failed loads are the point: Chromium reports each on the console.
			p := newPage(t, a, 1280, 800, true)
			intercepted := p.interceptCDN(tc.mode)
			// Not chromedp.Navigate: it waits for the load event, which a request the CDN
			// never answers holds back.
			if _, err := chromedp.Call(p.ctx, cdppage.Navigate, cdppage.NavigateParams{URL: a.URL + "/"}); err != nil {
				t.Fatalf("open /: %v", err)
			}
			p.waitFor("the page", `document.querySelector('.pg-links') !== null`)
			// The links are there at once, whatever GraphiQL does.
			var links []string
			p.eval(`[...document.querySelectorAll('.pg-links a')].map(a => a.getAttribute('href'))`, &links)
			if strings.Join(links, " ") != "/explore/console /explore" {
				t.Errorf("the page links to %v, want the console and the explorer", links)
			}
			start := time.Now()
			p.waitFor("the sentence and the link to the console", playgroundFailed)
			took := time.Since(start)
			var text string
			p.eval(`document.querySelector('#pg-status').textContent`, &text)
			if !strings.Contains(text, tc.reason) {
				t.Errorf("the page says %q, want it to say the files %s", text, tc.reason)
			}
			if tc.mode == cdnSilent && took > 10*time.Second {
				t.Errorf("the page gave up after %s, want about 4 s", took)
			}
			if got := intercepted(); len(got) == 0 {
				t.Error("the page asked nothing of the CDN")
			}
			for _, msg := range p.consoleProblems() {
				if !strings.Contains(msg, "cdn.jsdelivr.net") && !strings.Contains(msg, "ERR_INTERNET_DISCONNECTED") {
					t.Errorf("unexpected console message: %s", msg)
				}
			}
			p.screenshot("playground-offline-" + sanitize(tc.name))
			p.run("follow the link", chromedp.Click(chromedp.CSS(`#pg-status a`)))
			p.waitFor("the console", `location.pathname === '/explore/console' && document.body.dataset.ready === 'true'`)
		})
	}
}

// resultText is the console's result pane as text.
const resultText = `document.querySelector('#result').innerText`

func TestConsoleRunsQuestionsAndBrowsesTheSchema(t *testing.T) {
	a := newApp(t)
	// The bad query is answered 400 (GraphQL over HTTP, application/graphql-response+json),
	// which Chromium reports on the console; nothing else may be.
	p := newPage(t, a, 1280, 900, true)
	t.Cleanup(func() {
		for _, msg := range p.consoleProblems() {
			if !strings.Contains(msg, "status of 400") || !strings.Contains(msg, "/query") {
				t.Errorf("the page reported: %s", msg)
			}
		}
	})
	p.run("open the console", chromedp.Navigate(a.URL+"/explore/console"))
	p.waitFor("the console with its examples", `document.body.dataset.ready === 'true' && document.querySelectorAll('#example option').length === 16`) // "Your own query" and the fifteen questions
	if loc := p.location(); loc != "/explore/console?example=q01-avtotor-brands" {
		t.Errorf("location = %s, want the first example", loc)
	}

	// Pick question 5, which takes a variable, and run it with Ctrl+Enter.
	p.run("pick question 5", chromedp.SetValue(chromedp.CSS(`#example`), "q05-as-of"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#example').dispatchEvent(new Event('change'))`))
	p.waitFor("question 5 in the editors", `document.querySelector('#query').value.includes('query AssemblingAsOf') && document.querySelector('#variables').value.includes('2023-02')`)
	if loc := p.location(); loc != "/explore/console?example=q05-as-of" {
		t.Errorf("location = %s", loc)
	}
	p.run("run with Ctrl+Enter", chromedp.Focus(chromedp.CSS(`#query`)), chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	p.waitFor("the answer", resultText+`.includes('"Kaiyi"') && document.querySelector('#result-meta').textContent.startsWith('HTTP 200')`)
	p.screenshot("console-q05")

	// Every example runs without errors.
	var names []string
	p.eval(`[...document.querySelectorAll('#example option')].map(o => o.value).filter(Boolean)`, &names)
	for _, name := range names {
		p.run("pick "+name, chromedp.SetValue(chromedp.CSS(`#example`), name), chromedp.Evaluate[chromedp.Void](`document.querySelector('#example').dispatchEvent(new Event('change'))`))
		p.run("run "+name, chromedp.Click(chromedp.CSS(`#run`)))
		p.waitFor(name+" answered", `document.querySelector('#result-meta').textContent.startsWith('HTTP 200') && `+resultText+`.includes('"data"')`)
		var errs int
		p.eval(`document.querySelectorAll('#result .answer-error').length`, &errs)
		if errs > 0 {
			var text string
			p.eval(resultText, &text)
			t.Errorf("%s answered with errors:\n%s", name, text)
		}
	}

	// Invalid variables are refused before sending, with the reason.
	p.fill(`#variables`, `{"date": 2023-02}`)
	p.run("run", chromedp.Click(chromedp.CSS(`#run`)))
	p.waitFor("the JSON error", `document.querySelector('#variables-error').textContent.includes('not valid JSON') && document.querySelector('#variables').getAttribute('aria-invalid') === 'true' && `+resultText+`.includes('Not sent')`)

	// A bad query shows the error with its code.
	p.run("your own query", chromedp.SetValue(chromedp.CSS(`#example`), ""), chromedp.Evaluate[chromedp.Void](`document.querySelector('#example').dispatchEvent(new Event('change'))`))
	p.fill(`#variables`, "")
	p.fill(`#query`, "{ organization(id: \"avtotor\") { nosuchfield } }")
	p.run("run the bad query", chromedp.Click(chromedp.CSS(`#run`)))
	p.waitFor("the error and its code", `document.querySelector('#result .answer-error .error-code')?.textContent === 'GRAPHQL_VALIDATION_FAILED' && document.querySelector('#result .answer-error').textContent.includes('nosuchfield')`)
	p.screenshot("console-error")

	// The editor indents with Tab and keeps the indentation on Enter.
	p.fill(`#query`, "{")
	p.run("enter, tab, text", pressEnter(), chromedp.SendKeys(chromedp.CSS(`#query`), "search"), pressEnter(), chromedp.KeyEvent(kb.Tab), chromedp.SendKeys(chromedp.CSS(`#query`), "x"))
	var typed string
	p.eval(`document.querySelector('#query').value`, &typed)
	if typed != "{\n  search\n    x" {
		t.Errorf("after {, Enter, search, Enter, Tab, x the editor holds %q", typed)
	}
	var focused string
	p.run("escape, then tab leaves", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Tab))
	p.eval(`document.activeElement.id`, &focused)
	if focused == "query" {
		t.Error("Escape then Tab did not move the focus out of the editor")
	}

	// The schema browser: a type's fields with arguments and descriptions; type links.
	p.waitFor("the schema", `document.querySelector('#schema .type-detail .type-name')?.textContent.startsWith('Query')`)
	p.run("open Organization", chromedp.Click(chromedp.CSS(`#schema .type-index a[data-type=Organization]`)))
	p.waitFor("Organization's fields", `document.querySelector('#schema .type-name').textContent.startsWith('Organization') && document.querySelector('#schema .field[data-field=assembles]') !== null`)
	var field string
	p.eval(`document.querySelector('#schema .field[data-field=assembles]').innerText`, &field)
	for _, want := range []string{"assembles(status: [RelationStatus!], asOf: Date): [Relation!]!"} {
		if !strings.Contains(field, want) {
			t.Errorf("Organization.assembles reads %q, want it to contain %q", field, want)
		}
	}
	if !strings.Contains(p.location(), "type=Organization") {
		t.Errorf("location = %s, want the type in it", p.location())
	}
	p.run("follow Relation", chromedp.Click(chromedp.CSS(`#schema .field[data-field=assembles] a[data-type=Relation]`)))
	p.waitFor("Relation", `document.querySelector('#schema .type-name').textContent.startsWith('Relation') && document.querySelector('#schema .schema-desc').textContent.includes('directed, typed fact')`)
	p.screenshot("console-schema")
	p.run("back", chromedp.NavigateBack())
	p.waitFor("back to Organization", `document.querySelector('#schema .type-name')?.textContent.startsWith('Organization')`)

	// The address restores the whole state in a new tab.
	q := "query Two { entity(id: \"kia\") { name } }"
	state := "/explore/console?" + url.Values{"query": {q}, "variables": {`{"unused": 1}`}, "type": {"Brand"}}.Encode()
	p2 := newPage(t, a, 1280, 900, false)
	p2.run("open a shared state", chromedp.Navigate(a.URL+state))
	p2.waitFor("the state from the address", fmt.Sprintf(`document.body.dataset.ready === 'true' && document.querySelector('#query').value === %s && document.querySelector('#variables').value === '{"unused": 1}' && document.querySelector('#example').value === '' && document.querySelector('#schema .type-name')?.textContent.startsWith('Brand')`, jsString(q)))
	p2.run("run it", chromedp.Click(chromedp.CSS(`#run`)))
	p2.waitFor("Kia", resultText+`.includes('"Kia"')`)

	// An example chosen, then another, then Back: the first again, in the editor.
	p2.run("open example 8", chromedp.Navigate(a.URL+"/explore/console?example=q08-timeline"))
	p2.waitFor("example 8", `document.body.dataset.ready === 'true' && document.querySelector('#query').value.includes('AvtotorTimeline')`)
	p2.run("pick question 9", chromedp.SetValue(chromedp.CSS(`#example`), "q09-search"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#example').dispatchEvent(new Event('change'))`))
	p2.waitFor("example 9", `document.querySelector('#query').value.includes('query Search') && location.search === '?example=q09-search'`)
	p2.run("back", chromedp.NavigateBack())
	p2.waitFor("example 8 again", `location.search === '?example=q08-timeline' && document.querySelector('#example').value === 'q08-timeline' && document.querySelector('#query').value.includes('AvtotorTimeline')`)
	p2.run("forward", chromedp.NavigateForward())
	p2.waitFor("example 9 again", `document.querySelector('#example').value === 'q09-search' && document.querySelector('#query').value.includes('query Search')`)
}

func TestConsoleOnAPhone(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 390, 844, false)
	p.run("open the console", chromedp.Navigate(a.URL+"/explore/console?example=q07-neighborhood"))
	p.waitFor("the console", `document.body.dataset.ready === 'true' && document.querySelector('#schema .type-name') !== null`)
	p.run("run", chromedp.Click(chromedp.CSS(`#run`)))
	p.waitFor("the answer", resultText+`.includes('"truncated"')`)
	var fits bool
	p.eval(`document.documentElement.scrollWidth <= window.innerWidth`, &fits)
	if !fits {
		var wide []string
		p.eval(`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`, &wide)
		t.Errorf("the console overflows a 390px screen: %v", wide)
	}
	p.fullScreenshot("console-390-full")
}

// pressEnter presses Enter as a keyboard does: one key-down event that carries the text, which
// the page may cancel. (chromedp.KeyEvent sends the text in a separate char event, which
// types a line break whatever the page did with the key-down.)
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
		up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
		for _, ev := range []input.DispatchKeyEventParams{down, up} {
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, ev); err != nil {
				return err
			}
		}
		return nil
	})
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
