package web_test

// Browser tests of the time axis in the timeline view.

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// bar is one relation's bar on the time axis, in screen pixels.
type bar struct {
	Left  float64 `json:"left"`
	Right float64 `json:"right"`
	State string  `json:"state"`
	Start string  `json:"start"`
	End   string  `json:"end"`
}

const readBars = `Object.fromEntries([...document.querySelectorAll('.time-axis .bar-row')].map(g => {
  const r = g.querySelector('.bar').getBoundingClientRect();
  return [g.dataset.relation, {left: r.left, right: r.right, state: g.dataset.state, start: g.dataset.start, end: g.dataset.end}];
}))`

// axisX is the JavaScript for the screen x of a day on the axis (linear from its first day to
// the day after its last).
const axisX = `((iso) => {
  const svg = document.querySelector('.time-axis'), r = svg.getBoundingClientRect(), w = +svg.getAttribute('width');
  const d = (s) => Date.parse(s + 'T00:00:00Z');
  const k = r.width / w, pad = 14;
  return r.left + k * (pad + (d(iso) - d(svg.dataset.start)) / (d(svg.dataset.end) - d(svg.dataset.start)) * (w - 2 * pad));
})`

func TestTimeAxis(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 900, false)
	p.open("/explore?id=avtotor&view=timeline&asOf=2021")
	p.waitFor("the time axis", `document.querySelectorAll('.time-axis .bar-row').length > 10 && document.querySelectorAll('.timeline .event').length > 5`)

	// A bar for each relation of Avtotor, a tick for each event.
	var counts struct{ Bars, Ticks, Events, Relations int }
	p.eval(`({Bars: document.querySelectorAll('.time-axis .bar-row').length, Ticks: document.querySelectorAll('.time-axis .event-tick').length,
	  Events: document.querySelectorAll('.timeline .event').length, Relations: +/(\d+) relations/.exec(document.querySelector('#status').textContent)[1]})`, &counts)
	if counts.Bars != counts.Relations || counts.Ticks != counts.Events {
		t.Errorf("%d bars for %d relations, %d ticks for %d events", counts.Bars, counts.Relations, counts.Ticks, counts.Events)
	}

	bars := map[string]bar{}
	p.eval(readBars, &bars)
	x := func(iso string) float64 {
		var v float64
		p.eval(axisX+"('"+iso+"')", &v)
		return v
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1.5 {
			t.Errorf("%s at x = %.1f, want %.1f", what, got, want)
		}
	}
	kia, kaiyi, baic := bars["avtotor-assembles-kia"], bars["avtotor-assembles-kaiyi"], bars["avtotor-assembles-baic"]
	// Kia: until the end of 2022, start unknown (the bar runs from the axis's start, fading).
	near("the end of Kia's bar", kia.Right, x("2023-01-01"))
	near("the start of Kaiyi's bar (2023-01)", kaiyi.Left, x("2023-01-01"))
	near("the start of BAIC's bar (2023-04-04)", baic.Left, x("2023-04-04"))
	near("Avtotor in Kaliningrad, from 1994", bars["avtotor-located-in-kaliningrad"].Left, x("1994-01-01"))
	// Relative positions: BAIC starts 93 days after Kaiyi, Kia ends where Kaiyi begins.
	perDay := (x("2024-01-01") - x("2023-01-01")) / 365
	if d := (baic.Left - kaiyi.Left) / perDay; math.Abs(d-93) > 3 {
		t.Errorf("BAIC's bar starts %.0f days after Kaiyi's, want 93", d)
	}
	if !(kia.Left < kia.Right && kia.Right <= kaiyi.Left+1.5 && kaiyi.Left < baic.Left) {
		t.Errorf("bars out of order: Kia %.0f–%.0f, Kaiyi from %.0f, BAIC from %.0f", kia.Left, kia.Right, kaiyi.Left, baic.Left)
	}
	// The plan "five more BAIC models by 2023" covers 2023 and is hatched.
	plan := bars["avtotor-plans-five-more-baic-models"]
	near("the start of the 2023 plan", plan.Left, x("2023-01-01"))
	near("the end of the 2023 plan", plan.Right, x("2024-01-01"))
	var fill string
	p.eval(`getComputedStyle(document.querySelector('.time-axis .bar-row[data-relation="avtotor-plans-five-more-baic-models"] .bar')).fill`, &fill)
	if !strings.Contains(fill, "#hatch") {
		t.Errorf("the plan's bar is filled with %q, want the hatching", fill)
	}
	// Open ends fade: Kia's open start and Kaiyi's open end have a mask.
	var masks []bool
	p.eval(`['avtotor-assembles-kia', 'avtotor-assembles-kaiyi', 'avtotor-plans-five-more-baic-models'].map(id => document.querySelector('.time-axis .bar-row[data-relation="' + id + '"] .bar').hasAttribute('mask'))`, &masks)
	if len(masks) != 3 || !masks[0] || !masks[1] || masks[2] {
		t.Errorf("fading (open end) for Kia, Kaiyi, the 2023 plan: %v, want true, true, false", masks)
	}
	// States at the cursor, 2021: Kia in force, Kaiyi not yet.
	if kia.State != "ACTIVE" || kaiyi.State != "LATER" {
		t.Errorf("as of 2021, Kia's bar is %s and Kaiyi's %s; want ACTIVE and LATER", kia.State, kaiyi.State)
	}
	p.screenshot("timeline-axis-2021")

	// Drag the cursor to the middle of 2019: the URL and the states follow.
	var cursor struct{ X, Y float64 }
	p.eval(`(() => { const r = document.querySelector('.time-axis .cursor-handle').getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`, &cursor)
	to := x("2019-07-01")
	p.run("drag the cursor to 2019",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, cursor.X, cursor.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (cursor.X+to)/2, cursor.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, to, cursor.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, to, cursor.Y, chromedp.ButtonLeft))
	p.waitFor("asOf=2019 in the URL and on the axis", `location.search === '?id=avtotor&asOf=2019&view=timeline' && document.querySelector('.time-axis .cursor').getAttribute('aria-valuenow') === '2019' && document.querySelector('#asof-date').value === '2019'`)
	// Dragging on to 2024: Kia has ended, Kaiyi is in force.
	p.eval(`(() => { const r = document.querySelector('.time-axis .cursor-handle').getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`, &cursor)
	to = x("2024-07-01")
	p.run("drag the cursor to 2024",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, cursor.X, cursor.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, to, cursor.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, to, cursor.Y, chromedp.ButtonLeft))
	p.waitFor("asOf=2024", `location.search.includes('asOf=2024')`)
	p.eval(readBars, &bars)
	if bars["avtotor-assembles-kia"].State != "ENDED" || bars["avtotor-assembles-kaiyi"].State != "ACTIVE" {
		t.Errorf("as of 2024, Kia's bar is %s and Kaiyi's %s; want ENDED and ACTIVE", bars["avtotor-assembles-kia"].State, bars["avtotor-assembles-kaiyi"].State)
	}

	// The keyboard: the cursor keeps the focus across the redraw.
	p.run("focus the cursor, one year back", chromedp.Focus(chromedp.CSS(`.time-axis .cursor`)), chromedp.KeyEvent(kb.ArrowLeft))
	p.waitFor("asOf=2023", `location.search.includes('asOf=2023') && document.activeElement.classList.contains('cursor')`)
	p.run("a month on", chromedp.KeyEvent(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift)))
	p.waitFor("asOf=2023-02", `location.search.includes('asOf=2023-02') && document.querySelector('.time-axis .cursor').getAttribute('aria-valuetext') === 'Feb 2023'`)
	p.run("all time", chromedp.KeyEvent(kb.Escape))
	p.waitFor("all time", `location.search === '?id=avtotor&view=timeline' && document.querySelector('.time-axis .cursor-text').textContent === 'today'`)
	p.eval(readBars, &bars)
	if bars["avtotor-assembles-kia"].State != "ENDED" {
		t.Errorf("today Kia's bar is %s, want ENDED", bars["avtotor-assembles-kia"].State)
	}
	var now int
	p.eval(`+document.querySelector('.time-axis .cursor').getAttribute('aria-valuenow')`, &now)
	if now != time.Now().Year() {
		t.Errorf("with no date the cursor stands at %d, want this year", now)
	}
	p.screenshot("timeline-axis")
}

func TestTimeAxisOnAPhone(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 390, 844, false)
	p.open("/explore?id=avtotor&view=timeline&asOf=2023")
	p.waitFor("the time axis", `document.querySelectorAll('.time-axis .bar-row').length > 10`)
	var fit struct {
		Page, Window, Axis, Holder float64
		Clipped                    []string
	}
	p.eval(`(() => {
	  const svg = document.querySelector('.time-axis'), holder = document.querySelector('.axis-holder').getBoundingClientRect();
	  return {Page: document.documentElement.scrollWidth, Window: window.innerWidth, Axis: svg.getBoundingClientRect().right, Holder: holder.right,
	    Clipped: [...svg.querySelectorAll('.bar-label')].filter(t => t.getBoundingClientRect().right > holder.right + 0.5).map(t => t.textContent)};
	})()`, &fit)
	if fit.Page > fit.Window {
		t.Errorf("the page is %.0f px wide on a %.0f px screen", fit.Page, fit.Window)
	}
	if fit.Axis > fit.Holder+0.5 {
		t.Errorf("the axis reaches %.0f px, beyond its box (%.0f px)", fit.Axis, fit.Holder)
	}
	if len(fit.Clipped) > 0 {
		t.Errorf("labels run off the axis: %v", fit.Clipped)
	}
	var size float64
	p.eval(`parseFloat(getComputedStyle(document.querySelector('.time-axis .bar-label')).fontSize) * document.querySelector('.time-axis').getBoundingClientRect().width / +document.querySelector('.time-axis').getAttribute('width')`, &size)
	if size < 11.5 {
		t.Errorf("bar labels are %.1f px on a phone, want 12", size)
	}
	p.fullScreenshot("timeline-axis-390-full")
}
