package web_test

// Browser tests of the drawing itself: how a relation looks at a date, where labels and
// parallel edges go, and what stays legible at 200 entities.

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// edgeLook is an edge as drawn: its state, and the line style it got from the stylesheet.
type edgeLook struct {
	State string `json:"state"`
	Dash  string `json:"dash"`
	Arrow string `json:"arrow"`
}

// edgeLooks maps the drawn edges' relation ids to how they look.
func (p *page) edgeLooks() map[string]edgeLook {
	p.t.Helper()
	out := map[string]edgeLook{}
	p.eval(`Object.fromEntries([...document.querySelectorAll('.graph-svg .edge')].map(e => [e.dataset.id, {
	  state: e.dataset.state,
	  dash: getComputedStyle(e.querySelector('.edge-line')).strokeDasharray,
	  arrow: getComputedStyle(e.querySelector('.arrowhead')).fill }]))`, &out)
	return out
}

// dashOf is the stroke-dasharray the stylesheet gives each state.
var dashOf = map[string]string{"ACTIVE": "none", "ENDED": "6px, 4px", "PLANNED": "1px, 4.5px", "LATER": "2px, 3px"}

// TestRelationLooksAsOfTheDate checks that a relation is drawn, listed and legended in its
// state at the chosen date: the seed stores Avtotor's Kia, Hyundai and BMW assembly as ENDED
// (validTo 2022), Kaiyi from 2023-01, BAIC from 2023-04-04, and two plans (five more BAIC models
// by 2023; BAIC electric cars from 2023).
func TestRelationLooksAsOfTheDate(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	today := time.Now().Format("2006-01-02")
	absent := "absent"
	cases := []struct {
		asOf   string
		legend string
		want   map[string]string // relation id → state, or absent
	}{
		{"2019", "Relations as of 2019:", map[string]string{
			"avtotor-assembles-kia": "ACTIVE", "avtotor-assembles-hyundai": "ACTIVE", "avtotor-assembles-bmw": "ACTIVE",
			"avtotor-located-in-kaliningrad": "ACTIVE", "avtotor-assembles-kaiyi": absent, "avtotor-plans-baic-electric-vehicles": absent,
		}},
		{"2021", "Relations as of 2021:", map[string]string{
			"avtotor-assembles-kia": "ACTIVE", "avtotor-assembles-hyundai": "ACTIVE", "avtotor-assembles-bmw": "ACTIVE",
			"avtotor-assembles-baic": absent,
		}},
		{"2022", "Relations as of 2022:", map[string]string{
			// Ended during 2022: in force for part of it.
			"avtotor-assembles-kia": "ACTIVE", "avtotor-assembles-kaiyi": absent,
		}},
		{"2024", "Relations as of 2024:", map[string]string{
			"avtotor-assembles-kia": absent, "avtotor-assembles-kaiyi": "ACTIVE", "avtotor-assembles-baic": "ACTIVE",
			"avtotor-plans-baic-electric-vehicles": "PLANNED", "avtotor-plans-five-more-baic-models": absent,
			"avtotor-partners-with-baic-group": "ACTIVE",
		}},
		{today, "Relations as of " + formatDate(today) + ":", map[string]string{
			"avtotor-assembles-kia": absent, "avtotor-assembles-kaiyi": "ACTIVE", "avtotor-plans-baic-electric-vehicles": "PLANNED",
		}},
		{"", "Relations today (" + formatDate(today) + "):", map[string]string{
			"avtotor-assembles-kia": "ENDED", "avtotor-assembles-bmw": "ENDED", "avtotor-assembles-kaiyi": "ACTIVE",
			"avtotor-plans-five-more-baic-models": "PLANNED", "avtotor-plans-baic-electric-vehicles": "PLANNED",
		}},
	}
	for _, tc := range cases {
		p.open(withAsOf("/explore?id=avtotor&view=graph", tc.asOf))
		p.waitFor("the drawing as of "+tc.asOf, `document.querySelector('.graph-svg .edge') !== null`)
		looks := p.edgeLooks()
		for id, want := range tc.want {
			got, ok := looks[id]
			switch {
			case want == absent && ok:
				t.Errorf("as of %q: %s is drawn (%s), but did not hold then", tc.asOf, id, got.State)
			case want == absent:
			case !ok:
				t.Errorf("as of %q: %s is not drawn", tc.asOf, id)
			case got.State != want:
				t.Errorf("as of %q: %s is drawn %s, want %s", tc.asOf, id, got.State, want)
			}
		}
		for id, l := range looks {
			if dashOf[l.State] != l.Dash {
				t.Errorf("as of %q: %s (%s) has stroke-dasharray %q, want %q", tc.asOf, id, l.State, l.Dash, dashOf[l.State])
			}
		}
		var legend string
		p.eval(`document.querySelector('.legend-states').textContent`, &legend)
		if !strings.HasPrefix(legend, tc.legend) || !strings.Contains(legend, "In force") || !strings.Contains(legend, "Ended") || !strings.Contains(legend, "Planned") {
			t.Errorf("as of %q: the legend reads %q, want it to start %q and name the three states", tc.asOf, legend, tc.legend)
		}
		if tc.asOf == "2021" {
			p.screenshot("avtotor-2021-states")
		}
	}

	// A relation stored as ACTIVE from 2099 has not begun today: drawn as such, and legended.
	p.open("/explore?id=future-operator&view=graph")
	p.waitFor("the future plant", `document.querySelector('.graph-svg .edge') !== null`)
	if l := p.edgeLooks()["future-operator-operates-future-plant"]; l.State != "LATER" || l.Dash != "2px, 3px" {
		t.Errorf("a relation from 2099 is drawn %+v today, want LATER, dashed 2px, 3px", l)
	}
	var legend string
	p.eval(`document.querySelector('.legend-states').textContent`, &legend)
	if !strings.Contains(legend, "Not yet begun") {
		t.Errorf("the legend %q lacks the state of a relation not begun", legend)
	}

	// The same holds in the table and the paths view.
	rowState := `Object.fromEntries([...document.querySelectorAll('table.relations tbody tr')].map(r => [r.dataset.relation, r.querySelector('.status-badge').dataset.state + ' ' + r.querySelector('.status-badge').textContent]))`
	for _, tc := range []struct{ asOf, want string }{{"2021", "ACTIVE In force"}, {"", "ENDED Ended"}} {
		p.open(withAsOf("/explore?id=kia&view=table", tc.asOf))
		p.waitFor("Kia's relations", `document.querySelector('table.relations tr[data-relation="avtotor-assembles-kia"]') !== null`)
		rows := map[string]string{}
		p.eval(rowState, &rows)
		if got := rows["avtotor-assembles-kia"]; got != tc.want {
			t.Errorf("table as of %q: Avtotor assembles Kia reads %q, want %q", tc.asOf, got, tc.want)
		}
		p.open(withAsOf("/explore?view=paths&from=avtotor&to=kia", tc.asOf))
		p.waitFor("the path to Kia", `document.querySelector('.chain .chain-step') !== null`)
		var step string
		p.eval(`(s => s.dataset.state + ' ' + s.querySelector('.status-badge').textContent)(document.querySelector('.chain .chain-step'))`, &step)
		if step != tc.want {
			t.Errorf("paths as of %q: the step Avtotor → Kia reads %q, want %q", tc.asOf, step, tc.want)
		}
	}
}

// withAsOf adds asOf to a path, unless it is empty (all time).
func withAsOf(path, asOf string) string {
	if asOf == "" {
		return path
	}
	return path + "&asOf=" + asOf
}

// formatDate is format.js's formatDate for a full date: "2026-12-01" → "1 Dec 2026".
func formatDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d %s", t.Day(), t.Format("Jan 2006"))
}

// TestLabelsKeepApartAndParallelEdgesFanOut checks the drawing's geometry on the
// neighbourhoods where labels used to pile up: BAIC Group and Avtotor at two hops, where
// Avtotor and BAIC sit side by side with three relations between them.
func TestLabelsKeepApartAndParallelEdgesFanOut(t *testing.T) {
	a := newApp(t)
	for _, width := range []int64{1280, 390} {
		p := newPage(t, a, width, 844, false)
		for _, path := range []string{
			"/explore?id=baic-group&view=graph&depth=2",
			"/explore?id=avtotor&view=graph&depth=2",
			"/explore?id=avtotor&view=graph",
		} {
			p.open(path)
			p.waitFor("the drawing", `document.querySelector('.graph-svg .edge[data-id="avtotor-assembles-baic"]') !== null`)
			if c := p.collisions(labelClearance); len(c) > 0 {
				p.screenshot(fmt.Sprintf("failed-collisions-%d-%s", width, sanitize(path)))
				t.Errorf("%d px, %s: %d labels closer than %d px to another label, a node or an arrowhead: %v", width, path, len(c), labelClearance, c)
			}
			var shown struct{ Shown, All int }
			p.eval(`({Shown: document.querySelectorAll('.graph-svg .edge-label:not(.is-hidden)').length, All: document.querySelectorAll('.graph-svg .edge-label').length})`, &shown)
			t.Logf("%d px, %s: %d of %d edge labels shown", width, path, shown.Shown, shown.All)

			// The three relations from Avtotor to BAIC: distinct curves, apart in the middle,
			// each with its own arrowhead at BAIC, not overlapping the others. Distances are in
			// drawing units, the same at any zoom.
			var par []struct {
				ID  string     `json:"id"`
				D   string     `json:"d"`
				Mid [2]float64 `json:"mid"`
				Tip [2]float64 `json:"tip"`
			}
			p.eval(`[...document.querySelectorAll('.graph-svg .edge[data-from=avtotor][data-to=baic]')].map(e => {
			  const svg = document.querySelector('.graph-svg');
			  const line = e.querySelector('.edge-line'), m = svg.getScreenCTM().inverse().multiply(line.getScreenCTM());
			  const mid = line.getPointAtLength(line.getTotalLength() / 2);
			  const tip = e.querySelector('.arrowhead').points[0];
			  const scr = (pt) => [m.a * pt.x + m.c * pt.y + m.e, m.b * pt.x + m.d * pt.y + m.f];
			  return {id: e.dataset.id, d: line.getAttribute('d'), mid: scr(mid), tip: scr(tip)};
			})`, &par)
			var arrowOverlaps []string
			p.eval(`(() => {
			  const tri = (e) => [...e.querySelector('.arrowhead').points].map(pt => [pt.x, pt.y]);
			  const es = [...document.querySelectorAll('.graph-svg .edge[data-from=avtotor][data-to=baic]')];
			  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
			    const b = poly[(i + 1) % poly.length];
			    const ax = a[1] - b[1], ay = b[0] - a[0];
			    const pp = p.map(([x, y]) => x * ax + y * ay), qq = q.map(([x, y]) => x * ax + y * ay);
			    return Math.max(Math.min(...pp), Math.min(...qq)) >= Math.min(Math.max(...pp), Math.max(...qq));
			  }));
			  const out = [];
			  for (let i = 0; i < es.length; i++) for (let j = i + 1; j < es.length; j++) {
			    if (!apart(tri(es[i]), tri(es[j]))) out.push(es[i].dataset.id + ' / ' + es[j].dataset.id);
			  }
			  return out;
			})()`, &arrowOverlaps)
			if len(arrowOverlaps) > 0 {
				t.Errorf("%d px, %s: arrowheads overlap: %v", width, path, arrowOverlaps)
			}
			if len(par) != 3 {
				t.Fatalf("%s: %d edges from Avtotor to BAIC, want 3", path, len(par))
			}
			for i := range par {
				for j := i + 1; j < len(par); j++ {
					t.Logf("%d px, %s: %s and %s: middles %.1f apart, arrowheads' tips %.1f apart", width, path, par[i].ID, par[j].ID, dist(par[i].Mid, par[j].Mid), dist(par[i].Tip, par[j].Tip))
					if par[i].D == par[j].D {
						t.Errorf("%s: %s and %s are drawn along the same path", path, par[i].ID, par[j].ID)
					}
					if d := dist(par[i].Mid, par[j].Mid); d < 8 {
						t.Errorf("%d px, %s: the middles of %s and %s are %.1f apart, want 8 or more", width, path, par[i].ID, par[j].ID, d)
					}
					if d := dist(par[i].Tip, par[j].Tip); d < 6 {
						t.Errorf("%d px, %s: the arrowheads of %s and %s point at spots %.1f apart, want 6 or more", width, path, par[i].ID, par[j].ID, d)
					}
				}
			}
		}
		if width == 1280 {
			p.screenshot("avtotor-depth1-parallel")
			p.open("/explore?id=baic-group&view=graph&depth=2")
			p.waitFor("BAIC Group at two hops", `document.querySelector('.graph-svg .node[data-id=avtotor]') !== null`)
			p.screenshot("baic-group-depth2")

		}
	}
}

func dist(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// legibility is what TestTwoHundredNodesStayReadable measures of a drawing, on screen.
type legibility struct {
	Nodes          int     `json:"nodes"`
	NodeLabels     int     `json:"nodeLabels"`     // nodes whose name is drawn
	EdgeLabels     int     `json:"edgeLabels"`     // edge labels shown without pointing
	Edges          int     `json:"edges"`          // relations drawn
	FontPx         float64 `json:"fontPx"`         // the smallest node label's font size on screen
	MinSpacingPx   float64 `json:"minSpacingPx"`   // the least distance between two nodes' centres
	NodeDiameterPx float64 `json:"nodeDiameterPx"` // the diameter of a node other than the centre
}

const measureLegibility = `(() => {
  const svg = document.querySelector('.graph-svg');
  const scale = svg.getScreenCTM().a;
  const nodes = [...svg.querySelectorAll('.node')];
  const pts = nodes.map(n => { const m = n.getScreenCTM(); return [m.e, m.f]; });
  let min = Infinity;
  for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) {
    min = Math.min(min, Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]));
  }
  const labels = [...svg.querySelectorAll('.node-label')].filter(t => t.textContent.trim() !== '');
  const font = Math.min(...labels.map(t => parseFloat(getComputedStyle(t).fontSize))) * scale;
  const other = svg.querySelector('.node:not(.is-center) > .shape').getBoundingClientRect();
  return {nodes: nodes.length, nodeLabels: labels.length, edges: svg.querySelectorAll('.edge').length,
    edgeLabels: [...svg.querySelectorAll('.edge-label')].filter(g => getComputedStyle(g).display !== 'none').length,
    fontPx: font, minSpacingPx: min, nodeDiameterPx: Math.max(other.width, other.height)};
})()`

// TestTwoHundredNodesStayReadable draws a generated neighbourhood of 200 entities. Legible
// means, and the test asserts:
//
//   - no two visible labels (node names, edge labels not hidden) come within 1 px of each
//     other, and no label within 1 px of another node's symbol or an arrowhead;
//   - every entity's name is drawn (200 of 200);
//   - in the first view (before any zoom) names are drawn at 8 px or more on screen;
//   - at the zoom that fits the whole drawing, no two node symbols touch: the least distance
//     between two nodes' centres is more than a node's diameter.
//
// Edge labels of a drawing with more than 120 relations show only while an end or the edge is
// pointed at; the share shown is logged.
func TestTwoHundredNodesStayReadable(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	p.open("/explore?id=hub-group&view=graph&depth=2")
	p.waitFor("the hub's two hops", `document.querySelectorAll('.graph-svg .node').length >= 190`)
	var first, fit legibility
	p.eval(measureLegibility, &first)
	if c := p.collisions(labelClearance); len(c) > 0 {
		t.Errorf("%d labels closer than %d px to another label, a node or an arrowhead: %v", len(c), labelClearance, c)
	}
	if first.NodeLabels != first.Nodes {
		t.Errorf("%d of %d entities have their name drawn", first.NodeLabels, first.Nodes)
	}
	if first.FontPx < 8 {
		t.Errorf("names are drawn at %.1f px in the first view, want 8 px or more", first.FontPx)
	}
	p.screenshot("hub-200-nodes")

	// Past 120 relations edge labels are hidden, and one shows while its edge is pointed at.
	const label = `getComputedStyle(document.querySelector('.graph-svg .edge-label[data-id="hub-group-owns-brand-hub-brand-00"]')).display`
	var display string
	p.eval(label, &display)
	if display != "none" {
		t.Errorf("an edge label of the 200-node drawing shows (display %q) before its edge is pointed at", display)
	}
	p.eval(`(() => { document.querySelector('.graph-svg .edge[data-id="hub-group-owns-brand-hub-brand-00"] .edge-hit').dispatchEvent(new PointerEvent('pointerover', {bubbles: true})); return true; })()`, new(bool))
	p.eval(label, &display)
	if display == "none" {
		t.Error("the hidden label of hub-group-owns-brand-hub-brand-00 stays hidden while its edge is pointed at")
	}
	p.eval(`(() => { document.querySelector('.graph-svg .edge[data-id="hub-group-owns-brand-hub-brand-00"] .edge-hit').dispatchEvent(new PointerEvent('pointerout', {bubbles: true})); return true; })()`, new(bool))
	p.run("show the whole drawing", chromedp.Click(chromedp.CSS(`.graph-toolbar button[aria-label="Show the whole drawing"]`)))
	p.eval(measureLegibility, &fit)
	if fit.MinSpacingPx <= fit.NodeDiameterPx {
		t.Errorf("at fit zoom two nodes are %.1f px apart, no more than a node's diameter (%.1f px)", fit.MinSpacingPx, fit.NodeDiameterPx)
	}
	t.Logf("200-node legibility: %d nodes, %d relations; names drawn %d/%d; edge labels shown %d/%d; first view: names %.1f px, nearest nodes %.1f px apart; fit: names %.1f px, nearest nodes %.1f px apart (node %.1f px wide)",
		first.Nodes, first.Edges, first.NodeLabels, first.Nodes, first.EdgeLabels, first.Edges, first.FontPx, first.MinSpacingPx, fit.FontPx, fit.MinSpacingPx, fit.NodeDiameterPx)
	p.screenshot("hub-200-nodes-fit")

	// The layout is deterministic: drawing it again gives the same coordinates.
	var once, again string
	const coords = `[...document.querySelectorAll('.graph-svg .node')].map(n => n.getAttribute('transform')).join(';') + '|' + [...document.querySelectorAll('.graph-svg .edge-line')].map(e => e.getAttribute('d')).join(';')`
	p.eval(coords, &once)
	p.open("/explore?id=hub-group&view=graph&depth=2")
	p.waitFor("drawn again", `document.querySelectorAll('.graph-svg .node').length >= 190`)
	p.eval(coords, &again)
	if once != again {
		t.Error("the same neighbourhood was laid out differently twice")
	}
}
