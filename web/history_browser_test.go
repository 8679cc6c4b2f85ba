package web_test

// The explorer and the graph's history: an entity's revisions and what each changed, the graph
// "as known on" a past moment, and the page following the graph's changes while it shows now.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	renameOperator = `mutation($name: String!) { upsertOrganization(input: {id: "future-operator", name: $name, type: ASSEMBLER, sources: ["future-source"]}) { id } }`
	renamePlant    = `mutation($name: String!) { upsertPlant(input: {id: "future-plant", name: $name, sources: ["future-source"]}) { id } }`
	locateOperator = `mutation { addRelation(input: {type: LOCATED_IN, from: "future-operator", to: "kaliningrad", status: ACTIVE, sourceIds: ["future-source"]}) { id } }`
)

// newestRevision asks the API for the newest revision of an item: its number, time and actor.
func (a *app) newestRevision(t *testing.T, id string) (number int, at, actor string) {
	t.Helper()
	data := a.mutate(t, `query($id: ID!) { history(id: $id, first: 1) { nodes { number at actor { name } } } }`, map[string]any{"id": id})
	b, _ := json.Marshal(data)
	var d struct {
		History struct {
			Nodes []struct {
				Number int    `json:"number"`
				At     string `json:"at"`
				Actor  struct {
					Name string `json:"name"`
				} `json:"actor"`
			} `json:"nodes"`
		} `json:"history"`
	}
	if err := json.Unmarshal(b, &d); err != nil || len(d.History.Nodes) == 0 {
		t.Fatalf("history of %s: %s (%v)", id, b, err)
	}
	n := d.History.Nodes[0]
	return n.Number, n.At, n.Actor.Name
}

// waitStreams waits until the server has n event streams open, or fails.
func (a *app) waitStreams(t *testing.T, what string, n int64) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for a.streams.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d event streams open, want %d", what, a.streams.Load(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// js quotes a Go string for a JavaScript expression.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// headingIs is a condition: the entity card's heading reads name.
func headingIs(name string) string {
	return fmt.Sprintf(`document.querySelector('#entity-name')?.textContent === %s`, js(name))
}

const liveOn = `document.querySelector('#live-status')?.dataset.state === 'live'`

func TestHistoryPanelAndKnownAt(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 900, false)
	_, beforeAt, _ := a.newestRevision(t, "future-operator")

	p.open("/explore?id=future-operator&view=graph")
	p.waitFor("the drawing", hasNodes([]string{"future-operator", "future-plant"}, nil))
	p.waitFor("the history panel with the import", `document.querySelector('#history-panel .revision[data-operation=IMPORT]')?.innerText.includes('Added to the graph')`)

	a.mutate(t, renameOperator, map[string]any{"name": "Future Operator Works"})
	number, at, actor := a.newestRevision(t, "future-operator")

	// Opened afresh, the page lists the new revision first, with what it changed.
	p.open("/explore?id=future-operator&view=graph")
	p.waitFor("the new revision first", fmt.Sprintf(`document.querySelector('#history-panel .revision')?.dataset.number === '%d'`, number))
	var rev string
	p.eval(`document.querySelector('#history-panel .revision').innerText`, &rev)
	for _, want := range []string{
		fmt.Sprintf("Revision %d", number), "Edited", "by " + actor,
		"name: “Future Operator” → “Future Operator Works”",
		"See the graph as known then",
	} {
		if !strings.Contains(rev, want) {
			t.Errorf("the revision lacks %q:\n%s", want, rev)
		}
	}
	if strings.Contains(rev, "type:") || strings.Contains(rev, "sources:") {
		t.Errorf("the revision lists fields that did not change:\n%s", rev)
	}
	var when string
	p.eval(`document.querySelector('#history-panel .revision time').getAttribute('datetime')`, &when)
	if when != at {
		t.Errorf("the revision's time is %q, want %q", when, at)
	}
	p.screenshot("history-panel")

	// As known on the moment before the change: the old name, said plainly to be the past.
	p.fill(`#known-at`, beforeAt+kb.Enter)
	p.waitFor("the old name", headingIs("Future Operator"))
	p.waitFor("the past banner", `!document.querySelector('#past-banner').hidden && document.querySelector('#past-banner').innerText.includes('Showing the past')`)
	if loc := p.location(); loc != "/explore?id=future-operator&knownAt="+url.QueryEscape(beforeAt)+"&view=graph" {
		t.Errorf("location = %s", loc)
	}
	p.waitFor("the later revision marked", fmt.Sprintf(`document.querySelector('#history-panel .revision[data-number="%d"]').classList.contains('is-later')`, number))
	a.waitStreams(t, "no live updates while showing the past", 0)
	var live string
	p.eval(`document.querySelector('#live-status').dataset.state + ' ' + document.querySelector('#live-status').innerText`, &live)
	if live != "off " {
		t.Errorf("the live line reads %q while showing the past", live)
	}
	p.screenshot("known-at-past")

	// The link reproduces the view; search finds what the graph held then.
	p.open("/explore?id=future-operator&knownAt=" + url.QueryEscape(beforeAt) + "&view=table")
	p.waitFor("the old name from the link", headingIs("Future Operator"))
	var field string
	p.eval(`document.querySelector('#known-at').value`, &field)
	if field != beforeAt {
		t.Errorf("the field reads %q, want %q", field, beforeAt)
	}
	input := `#main-search input`
	p.fill(input, "Future Operator Works")
	p.waitFor("the search answered", `document.querySelector('#main-search .combobox-message:not([hidden]), #main-search [role=option]') !== null`)
	var hits []string
	p.eval(`[...document.querySelectorAll('#main-search [role=option] .option-name')].map(o => o.textContent)`, &hits)
	if contains(hits, "Future Operator Works") {
		t.Errorf("searching the past finds the name given later: %v", hits)
	}

	// "See the graph as known then" on the new revision: the new name.
	p.run("see the graph as known then", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#history-panel .revision[data-number="%d"] .rev-known`, number))))
	p.waitFor("the new name as known then", headingIs("Future Operator Works"))

	// Now: the latest again, live.
	p.run("now", chromedp.Click(chromedp.CSS(`#known-now`)))
	p.waitFor("the new name", headingIs("Future Operator Works"))
	p.waitFor("live again", liveOn)
	if loc := p.location(); loc != "/explore?id=future-operator&view=table" {
		t.Errorf("location = %s", loc)
	}
	var banner bool
	p.eval(`document.querySelector('#past-banner').hidden`, &banner)
	if !banner {
		t.Error("the past banner still shows with now")
	}
}

func TestKnownAtRefusals(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 900, true) // the server refuses the requests: failed loads are expected
	// History that reaches back only to a write made after the seed: the seed's moment is
	// before the floor.
	_, seededAt, _ := a.newestRevision(t, "avtotor")
	a.mutate(t, renamePlant, map[string]any{"name": "Future plant No. 2"})
	if _, err := a.store.Prune(context.Background(), time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("Prune: %v", err)
	}
	for _, tc := range []struct{ name, typed, want string }{
		{"not a time", "last tuesday", ""},
		{"not a date", "2026-13-45", ""},
		{"before the floor", seededAt, "oldest moment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.open("/explore?id=avtotor&view=graph")
			p.waitFor("the drawing", hasNodes([]string{"avtotor"}, nil))
			p.fill(`#known-at`, tc.typed+kb.Enter)
			p.waitFor("the server's message by the field and in the view",
				`document.querySelector('#known-error').textContent.length > 0 && document.querySelector('#known-at').getAttribute('aria-invalid') === 'true' && document.querySelector('.error-state .error-message')?.textContent.length > 0`)
			var got struct {
				Field string `json:"field"`
				View  string `json:"view"`
			}
			p.eval(`({field: document.querySelector('#known-error').textContent, view: document.querySelector('.error-state').innerText})`, &got)
			if !strings.Contains(got.View, got.Field) {
				t.Errorf("the view says %q, the field %q: want the server's message in both", got.View, got.Field)
			}
			if strings.Contains(strings.ToLower(got.Field), "internal") || !strings.Contains(got.Field, tc.want) {
				t.Errorf("the message is %q, want the server's own words (%q)", got.Field, tc.want)
			}
			t.Logf("%s: %s", tc.typed, got.Field)
			p.run("now", chromedp.Click(chromedp.CSS(`#known-now`)))
			p.waitFor("drawn again", hasNodes([]string{"avtotor"}, nil))
		})
	}
	for _, msg := range p.consoleProblems() {
		if strings.Contains(msg, "uncaught") || strings.Contains(msg, "console.") {
			t.Errorf("the page threw or logged: %s", msg)
		}
	}
}

func TestLiveUpdates(t *testing.T) {
	a := newApp(t)
	// The connection is cut on purpose below: the failed loads it causes are expected.
	p := newPage(t, a, 1280, 900, true)
	p.open("/explore?id=future-operator&view=graph")
	p.waitFor("the drawing", hasNodes([]string{"future-operator", "future-plant"}, []string{"kaliningrad"}))
	p.waitFor("live", liveOn)
	a.waitStreams(t, "one event stream", 1)
	var marked bool
	p.eval(`(window.notReloaded = true)`, &marked)

	// An edit of the entity: the card and the history change in place.
	a.mutate(t, renameOperator, map[string]any{"name": "Future Operator Works"})
	number, _, _ := a.newestRevision(t, "future-operator")
	p.waitFor("the new name, live", headingIs("Future Operator Works"))
	p.waitFor("the new revision in the history", fmt.Sprintf(`document.querySelector('#history-panel .revision')?.dataset.number === '%d'`, number))
	p.waitFor("the live line names the change", fmt.Sprintf(`document.querySelector('#live-status').innerText.includes('revision %d')`, number))

	// A new relation: the drawing grows.
	a.mutate(t, locateOperator, nil)
	p.waitFor("Kaliningrad drawn, live", hasNodes([]string{"future-operator", "future-plant", "kaliningrad"}, nil))

	// An edit of a drawn neighbour: its label changes.
	a.mutate(t, renamePlant, map[string]any{"name": "Future plant No. 2"})
	p.waitFor("the plant's new name, live", `[...document.querySelectorAll('.graph-svg .node[data-id="future-plant"] .node-label')].some(l => l.textContent.includes('Future plant No. 2'))`)

	// The connection drops, a change is made meanwhile, the page reconnects and catches up.
	a.down.Store(true)
	a.CloseClientConnections()
	p.waitFor("reconnecting", `document.querySelector('#live-status').dataset.state !== 'live'`)
	a.mutate(t, renameOperator, map[string]any{"name": "Future Operator Reconnected"})
	a.down.Store(false)
	p.waitFor("live again", liveOn)
	p.waitFor("the change made while cut off", headingIs("Future Operator Reconnected"))

	var still bool
	p.eval(`window.notReloaded === true`, &still)
	if !still {
		t.Error("the page reloaded; live updates should redraw in place")
	}
	p.screenshot("live-updates")
	for _, msg := range p.consoleProblems() {
		if strings.Contains(msg, "uncaught") || strings.Contains(msg, "console.") {
			t.Errorf("the page threw or logged: %s", msg)
		}
	}
}

// Browsers allow a handful of connections to one server: a page being left, or moved to
// another entity, lets its change feed go rather than keep it open.
func TestLiveFeedsDoNotPileUp(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	for _, path := range []string{
		"/explore?id=avtotor&view=graph",
		"/explore?id=kia&view=table",
		"/explore?id=baic-group&view=graph&depth=2",
		"/explore?id=avtotor&view=timeline",
	} {
		p.open(path)
		p.waitFor("live on "+path, liveOn)
		a.waitStreams(t, "one feed after opening "+path, 1)
	}
	p.run("centre on Kia", chromedp.Navigate(p.base+"/explore?id=avtotor&view=graph"))
	p.waitFor("live", liveOn)
	p.run("click Kia", chromedp.Click(chromedp.CSS(`.graph-svg .node[data-id=kia]`)))
	p.waitFor("Kia in the centre, live", `document.querySelector('.graph-svg .node.is-center')?.dataset.id === 'kia' && `+liveOn)
	a.waitStreams(t, "one feed after moving within the page", 1)
	p.open("/explore?view=paths&from=avtotor&to=beijing-benz")
	p.waitFor("the chain", `document.querySelector('.chain') !== null`)
	a.waitStreams(t, "no feed in the paths view", 0)
}

func TestHistoryPages(t *testing.T) {
	a := newApp(t)
	for i := 1; i <= 11; i++ {
		a.mutate(t, renamePlant, map[string]any{"name": fmt.Sprintf("Future plant No. %d", i)})
	}
	p := newPage(t, a, 1280, 900, false)
	p.open("/explore?id=future-plant&view=table")
	p.waitFor("the first page", `document.querySelectorAll('#history-panel .revision').length === 10 && document.querySelector('.history-more') !== null`)
	var first []string
	p.eval(`[...document.querySelectorAll('#history-panel .revision .rev-diff')].slice(0, 2).map(d => d.innerText)`, &first)
	if len(first) != 2 || first[0] != "name: “Future plant No. 10” → “Future plant No. 11”" || first[1] != "name: “Future plant No. 9” → “Future plant No. 10”" {
		t.Errorf("the newest revisions read %q", first)
	}
	p.run("older changes", chromedp.Click(chromedp.CSS(`.history-more`)))
	p.waitFor("the rest, the import last, the focus on the first of them",
		`document.querySelectorAll('#history-panel .revision').length === 12 && document.querySelector('.history-more') === null && document.activeElement === document.querySelectorAll('#history-panel .revision')[10]`)
	var last []string
	p.eval(`[...document.querySelectorAll('#history-panel .revision')].slice(10).map(r => r.dataset.operation + ': ' + r.querySelector('.rev-diff').innerText)`, &last)
	if len(last) != 2 || last[0] != "UPSERT_ENTITY: name: “Future plant” → “Future plant No. 1”" || last[1] != "IMPORT: Added to the graph" {
		t.Errorf("the oldest revisions read %q", last)
	}
}
