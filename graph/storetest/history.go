package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// The history cases (model.History): which writes record a revision, with what, and how
// revisions are listed, read back, and pruned. The numbers below are worked out by hand from
// the writes each case makes on top of the fixture's import (revision 1).

// historyOf is the store's history, or a failure when it keeps none.
func historyOf(t *testing.T, s model.Store) model.History {
	t.Helper()
	h, ok := s.(model.History)
	if !ok {
		t.Fatalf("%T does not keep history (model.History)", s)
	}
	return h
}

func runHistory(t *testing.T, newStore func(t *testing.T) model.Store) {
	t.Run("Recorded", func(t *testing.T) { testHistoryRecorded(t, newStore(t)) })
	t.Run("Listings", func(t *testing.T) { testHistoryListings(t, newStore(t)) })
	t.Run("PriorStates", func(t *testing.T) { testPriorStates(t, newStore(t)) })
	t.Run("Prune", func(t *testing.T) { testPrune(t, newStore(t)) })
	t.Run("RevisionAt", func(t *testing.T) { testRevisionAt(t, newStore(t)) })
	t.Run("QueryRules", func(t *testing.T) { testRevisionQueryRules(t, newStore(t)) })
}

// all lists every kept revision after since, oldest first, through the pages.
func allRevisions(t *testing.T, h model.History, q model.RevisionQuery) []*model.Revision {
	t.Helper()
	var out []*model.Revision
	q.First = 2
	for range 1000 {
		page, err := h.Revisions(t.Context(), q)
		noErr(t, "Revisions", err)
		out = append(out, page.Items...)
		if !page.HasNextPage {
			return out
		}
		q.After = model.RevisionCursor(page.Items[len(page.Items)-1].Number)
	}
	t.Fatal("Revisions never ends")
	return nil
}

func numbers(rs []*model.Revision) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.Number
	}
	return out
}

func curatorCtx(ctx context.Context, name string) context.Context {
	return model.WithActor(ctx, model.Actor{Name: name, Role: model.RoleCurator, Via: "token"})
}

func testHistoryRecorded(t *testing.T, s model.Store) {
	ctx := t.Context()
	h := historyOf(t, s)
	b, err := h.HistoryBounds(ctx)
	noErr(t, "HistoryBounds", err)
	if b.Last != 0 || b.Floor != 0 {
		t.Fatalf("an empty store's HistoryBounds = %+v, want zero", b)
	}
	noErr(t, "Import", s.Import(ctx, Fixture()))
	// The same dataset again changes nothing, so records nothing.
	noErr(t, "Import again", s.Import(ctx, Fixture()))
	// Once Import has returned, no part of it can still be taken away (what the answer cache
	// relies on): no import is under way, and the count of imports begun never goes back.
	after, err := h.HistoryBounds(ctx)
	noErr(t, "HistoryBounds after the imports", err)
	if after.Importing || after.Imports < b.Imports {
		t.Errorf("HistoryBounds after the imports = %+v, before them %+v: want no import under way and no fewer imports", after, b)
	}
	revs := allRevisions(t, h, model.RevisionQuery{})
	if len(revs) != 1 {
		t.Fatalf("after importing the fixture twice: %d revisions, want 1", len(revs))
	}
	imp := revs[0]
	fx := Fixture()
	want := len(fx.Entities()) + len(fx.Sources) + len(fx.Relations)
	if imp.Number != 1 || imp.Operation != model.OpImport || len(imp.Touched) != want || imp.Actor != model.SystemActor() {
		t.Errorf("the import's revision = #%d %s by %+v touching %d, want #1 IMPORT by system touching %d", imp.Number, imp.Operation, imp.Actor, len(imp.Touched), want)
	}
	if !slices.IsSortedFunc(imp.Touched, func(a, b model.Touched) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Touched is not in id order")
	}
	cs, err := h.Changes(ctx, 1, []string{"avtotor", "r-avtotor-assembles-kia", "interfax-2023-04-04"})
	noErr(t, "Changes(1)", err)
	if len(cs) != 3 {
		t.Fatalf("Changes(1, 3 ids) = %d changes, want 3", len(cs))
	}
	for _, c := range cs {
		if c.Before.Exists() {
			t.Errorf("the import created %s, but its Before is %+v", c.ID, c.Before)
		}
	}

	// A named curator corrects a fact: revision 2 holds what it was.
	time.Sleep(tick)
	old, err := s.Entity(ctx, "avtotor")
	noErr(t, "Entity", err)
	fixed := old.Clone()
	fixed.Common().Name = "Avtotor Holding"
	_, err = s.UpsertEntity(curatorCtx(ctx, "alice"), fixed)
	noErr(t, "UpsertEntity", err)
	// The same again, and a refused write, record nothing.
	_, err = s.UpsertEntity(curatorCtx(ctx, "alice"), fixed)
	noErr(t, "UpsertEntity again", err)
	bad := fixed.Clone()
	bad.Common().SourceIDs = []string{"no-such-source"}
	_, err = s.UpsertEntity(curatorCtx(ctx, "alice"), bad)
	wantCode(t, "UpsertEntity citing an unknown source", err, model.CodeNotFound)

	revs = allRevisions(t, h, model.RevisionQuery{Since: 1})
	if len(revs) != 1 {
		t.Fatalf("after one change, one repeat and one refusal: %d new revisions, want 1", len(revs))
	}
	r2 := revs[0]
	wantActor := model.Actor{Name: "alice", Role: model.RoleCurator, Via: "token"}
	if r2.Number != 2 || r2.Operation != model.OpUpsertEntity || r2.Actor != wantActor {
		t.Errorf("revision = #%d %s by %+v, want #2 UPSERT_ENTITY by alice", r2.Number, r2.Operation, r2.Actor)
	}
	diff(t, "revision 2 touched", []model.Touched{{ID: "avtotor", Sort: model.SortEntity, Kind: model.KindOrganization}}, r2.Touched)
	if r2.At.Before(imp.At) {
		t.Errorf("revision 2 at %v is before revision 1 at %v", r2.At, imp.At)
	}
	cs, err = h.Changes(ctx, 2, nil)
	noErr(t, "Changes(2)", err)
	if len(cs) != 1 || cs[0].ID != "avtotor" || cs[0].Before.Entity == nil {
		t.Fatalf("Changes(2) = %+v, want avtotor's prior content", cs)
	}
	diff(t, "revision 2's Before", old, cs[0].Before.Entity)
	if !cs[0].Before.Entity.Common().UpdatedAt.Equal(old.Common().UpdatedAt) {
		t.Errorf("Before's UpdatedAt = %v, want the stored %v", cs[0].Before.Entity.Common().UpdatedAt, old.Common().UpdatedAt)
	}

	// Relations: added (3), updated (4), removed (5); then an entity deleted with its
	// relations (6).
	time.Sleep(tick)
	nr := &model.Relation{ID: "r-history-test", Type: model.RelPartnersWith, FromID: "avtotor", ToID: "chery", Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}}
	_, err = s.AddRelation(curatorCtx(ctx, "bob"), nr)
	noErr(t, "AddRelation", err)
	upd := nr.Clone()
	upd.Status = model.StatusEnded
	upd.ToID = "geely"
	_, err = s.UpdateRelation(curatorCtx(ctx, "bob"), upd)
	noErr(t, "UpdateRelation", err)
	noErr(t, "RemoveRelation", s.RemoveRelation(curatorCtx(ctx, "bob"), nr.ID))
	gone, err := s.RelationsOf(ctx, []string{"kia"}, model.RelationsOfQuery{First: 100})
	noErr(t, "RelationsOf(kia)", err)
	_, err = s.DeleteEntity(curatorCtx(ctx, "carol"), "kia")
	noErr(t, "DeleteEntity", err)

	revs = allRevisions(t, h, model.RevisionQuery{Since: 2})
	ops := make([]model.Operation, len(revs))
	for i, r := range revs {
		ops[i] = r.Operation
	}
	diff(t, "operations 3-6", []model.Operation{model.OpAddRelation, model.OpUpdateRelation, model.OpRemoveRelation, model.OpDeleteEntity}, ops)
	diff(t, "numbers 3-6", []int64{3, 4, 5, 6}, numbers(revs))
	if len(revs) != 4 {
		t.FailNow()
	}
	// An update that moves a relation touches both its old and new ends.
	diff(t, "revision 4 touched", []model.Touched{{ID: "r-history-test", Sort: model.SortRelation, Type: model.RelPartnersWith, Ends: []string{"avtotor", "chery", "geely"}}}, revs[1].Touched)
	cs, err = h.Changes(ctx, 4, nil)
	noErr(t, "Changes(4)", err)
	if len(cs) != 1 || cs[0].Before.Relation == nil || cs[0].Before.Relation.ToID != "chery" || cs[0].Before.Relation.Status != model.StatusActive {
		t.Errorf("Changes(4) = %+v, want the relation as added", cs)
	}
	// The deletion records the entity and every relation that went with it, as they were.
	del := revs[3]
	wantIDs := []string{"kia"}
	for _, r := range gone["kia"].Items {
		wantIDs = append(wantIDs, r.ID)
	}
	slices.Sort(wantIDs)
	diff(t, "revision 6 ids", wantIDs, del.IDs())
	if del.Actor.Name != "carol" {
		t.Errorf("revision 6 actor = %+v, want carol", del.Actor)
	}
	cs, err = h.Changes(ctx, 6, nil)
	noErr(t, "Changes(6)", err)
	if len(cs) != len(wantIDs) {
		t.Fatalf("Changes(6) = %d, want %d", len(cs), len(wantIDs))
	}
	for _, c := range cs {
		if !c.Before.Exists() || c.Before.ID() != c.ID {
			t.Errorf("Changes(6): %s has Before %+v, want its content", c.ID, c.Before)
		}
	}
	b, err = h.HistoryBounds(ctx)
	noErr(t, "HistoryBounds", err)
	if b.Last != 6 || !b.LastAt.Equal(del.At) || b.Floor != 0 {
		t.Errorf("HistoryBounds = %+v, want Last 6 at %v, no floor", b, del.At)
	}
	_, err = h.Changes(ctx, 7, nil)
	wantCode(t, "Changes(7)", err, model.CodeNotFound)
}

// historyWrites makes revisions 2 to 5 on top of the fixture: avtotor renamed twice (2, 4), a
// relation added (3), kia deleted (5).
func historyWrites(t *testing.T, s model.Store) {
	t.Helper()
	ctx := t.Context()
	noErr(t, "Import", s.Import(ctx, Fixture()))
	rename := func(name string) {
		time.Sleep(tick)
		e, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity", err)
		e.Common().Name = name
		_, err = s.UpsertEntity(curatorCtx(ctx, "alice"), e)
		noErr(t, "UpsertEntity", err)
	}
	rename("Avtotor One")
	time.Sleep(tick)
	_, err := s.AddRelation(curatorCtx(ctx, "bob"), &model.Relation{ID: "r-history-test", Type: model.RelPartnersWith, FromID: "avtotor", ToID: "chery", Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}})
	noErr(t, "AddRelation", err)
	rename("Avtotor Two")
	time.Sleep(tick)
	_, err = s.DeleteEntity(curatorCtx(ctx, "carol"), "kia")
	noErr(t, "DeleteEntity", err)
}

func testHistoryListings(t *testing.T, s model.Store) {
	ctx := t.Context()
	h := historyOf(t, s)
	historyWrites(t, s)
	diff(t, "every revision", []int64{1, 2, 3, 4, 5}, numbers(allRevisions(t, h, model.RevisionQuery{})))
	diff(t, "newest first", []int64{5, 4, 3, 2, 1}, numbers(allRevisions(t, h, model.RevisionQuery{Desc: true})))
	// An item's revisions are those that changed the item itself: adding a relation from
	// avtotor (3) or deleting kia with avtotor's relation to it (5) did not.
	diff(t, "avtotor's, newest first", []int64{4, 2, 1}, numbers(allRevisions(t, h, model.RevisionQuery{ID: "avtotor", Desc: true})))
	diff(t, "the relation's", []int64{3}, numbers(allRevisions(t, h, model.RevisionQuery{ID: "r-history-test"})))
	diff(t, "kia's (deleted)", []int64{1, 5}, numbers(allRevisions(t, h, model.RevisionQuery{ID: "kia"})))
	diff(t, "since 2 until 4", []int64{3, 4}, numbers(allRevisions(t, h, model.RevisionQuery{Since: 2, Until: 4})))
	diff(t, "an unknown id's", []int64(nil), numbers(allRevisions(t, h, model.RevisionQuery{ID: "no-such-thing"})))
	page, err := h.Revisions(ctx, model.RevisionQuery{ID: "avtotor", Desc: true, First: 2})
	noErr(t, "Revisions", err)
	if !page.HasNextPage || len(page.Items) != 2 || page.Items[0].Number != 4 {
		t.Errorf("avtotor's first page of 2 = %v (more: %v), want [4 2] and more", numbers(page.Items), page.HasNextPage)
	}
	if len(page.Items) > 0 && page.Items[0].Actor.Name != "alice" {
		t.Errorf("revision 4 actor = %+v, want alice", page.Items[0].Actor)
	}
	page, err = h.Revisions(ctx, model.RevisionQuery{Since: 5})
	noErr(t, "Revisions(since 5)", err)
	if len(page.Items) != 0 || page.HasNextPage {
		t.Errorf("Revisions(since the newest) = %v, want none", numbers(page.Items))
	}
}

func testPriorStates(t *testing.T, s model.Store) {
	ctx := t.Context()
	h := historyOf(t, s)
	historyWrites(t, s)
	name := func(it model.Item) string {
		if it.Entity == nil {
			return "<none>"
		}
		return it.Entity.Common().Name
	}
	for _, c := range []struct {
		n    int64
		want string
	}{{1, "Avtotor"}, {2, "Avtotor One"}, {3, "Avtotor One"}} {
		m, err := h.PriorStates(ctx, c.n, []string{"avtotor", "no-such-thing"})
		noErr(t, "PriorStates", err)
		if got := name(m["avtotor"]); got != c.want {
			t.Errorf("PriorStates(%d)[avtotor] = %s, want %s", c.n, got, c.want)
		}
		if _, ok := m["no-such-thing"]; ok {
			t.Errorf("PriorStates(%d) has an unknown id", c.n)
		}
	}
	m, err := h.PriorStates(ctx, 4, []string{"avtotor"})
	noErr(t, "PriorStates(4)", err)
	if _, ok := m["avtotor"]; ok {
		t.Errorf("PriorStates(4) has avtotor, which nothing after 4 changed")
	}
	// Every item changed after 2: avtotor (4), the relation (3, created: it did not exist),
	// kia and its relations (5).
	m, err = h.PriorStates(ctx, 2, nil)
	noErr(t, "PriorStates(2, all)", err)
	if name(m["avtotor"]) != "Avtotor One" {
		t.Errorf("PriorStates(2, all)[avtotor] = %s, want Avtotor One", name(m["avtotor"]))
	}
	if it, ok := m["r-history-test"]; !ok || it.Exists() {
		t.Errorf("PriorStates(2, all)[r-history-test] = %+v, %v; want present and empty", it, ok)
	}
	if it := m["kia"]; it.Entity == nil || it.Entity.Kind() != model.KindBrand {
		t.Errorf("PriorStates(2, all)[kia] = %+v, want the brand", it)
	}
	if it := m["r-avtotor-assembles-kia"]; it.Relation == nil || it.Relation.FromID != "avtotor" {
		t.Errorf("PriorStates(2, all)[r-avtotor-assembles-kia] = %+v, want the relation", it)
	}
	m, err = h.PriorStates(ctx, 5, nil)
	noErr(t, "PriorStates(5, all)", err)
	if len(m) != 0 {
		t.Errorf("PriorStates(newest) = %d items, want none", len(m))
	}
}

func testPrune(t *testing.T, s model.Store) {
	ctx := t.Context()
	h := historyOf(t, s)
	historyWrites(t, s)
	before := takeSnapshot(t, s)
	revs := allRevisions(t, h, model.RevisionQuery{})
	// Nothing is older than the first revision.
	n, err := h.Prune(ctx, revs[0].At)
	noErr(t, "Prune(first)", err)
	if n != 0 {
		t.Errorf("Prune(at the first revision) = %d, want 0", n)
	}
	// Prune before revision 3: 1 and 2 go.
	n, err = h.Prune(ctx, revs[2].At)
	noErr(t, "Prune", err)
	if n != 2 {
		t.Errorf("Prune(before 3) = %d, want 2", n)
	}
	diff(t, "kept", []int64{3, 4, 5}, numbers(allRevisions(t, h, model.RevisionQuery{})))
	diff(t, "avtotor's kept", []int64{4}, numbers(allRevisions(t, h, model.RevisionQuery{ID: "avtotor", Desc: true})))
	b, err := h.HistoryBounds(ctx)
	noErr(t, "HistoryBounds", err)
	if b.Floor != 2 || !b.FloorAt.Equal(revs[1].At) || b.Last != 5 {
		t.Errorf("HistoryBounds = %+v, want floor 2 at %v, last 5", b, revs[1].At)
	}
	_, err = h.PriorStates(ctx, 1, []string{"avtotor"})
	wantCode(t, "PriorStates(pruned)", err, model.CodeBadUserInput)
	m, err := h.PriorStates(ctx, 2, []string{"avtotor"})
	noErr(t, "PriorStates(floor)", err)
	if it := m["avtotor"]; it.Entity == nil || it.Entity.Common().Name != "Avtotor One" {
		t.Errorf("PriorStates(2)[avtotor] after pruning = %+v, want Avtotor One", it)
	}
	_, err = h.Changes(ctx, 2, nil)
	wantCode(t, "Changes(pruned)", err, model.CodeNotFound)
	// Pruning everything keeps the newest revision.
	n, err = h.Prune(ctx, time.Now().Add(time.Hour))
	noErr(t, "Prune(all)", err)
	if n != 2 {
		t.Errorf("Prune(everything) = %d, want 2 (the newest stays)", n)
	}
	diff(t, "kept after pruning all", []int64{5}, numbers(allRevisions(t, h, model.RevisionQuery{})))
	diff(t, "the graph after pruning", before, takeSnapshot(t, s))
	// Writes go on numbering from where they were.
	e, err := s.Entity(ctx, "avtotor")
	noErr(t, "Entity", err)
	e.Common().Name = "Avtotor Three"
	_, err = s.UpsertEntity(ctx, e)
	noErr(t, "UpsertEntity", err)
	diff(t, "after a write", []int64{5, 6}, numbers(allRevisions(t, h, model.RevisionQuery{})))
}

// testRevisionAt holds RevisionAt to its contract: the newest revision at or before the
// moment, 0 before every kept one, the floor between the floor's time and the next revision.
func testRevisionAt(t *testing.T, s model.Store) {
	ctx := t.Context()
	h := historyOf(t, s)
	at := func(when time.Time) int64 {
		t.Helper()
		n, err := h.RevisionAt(ctx, when)
		noErr(t, "RevisionAt", err)
		return n
	}
	if n := at(time.Now()); n != 0 {
		t.Errorf("RevisionAt on an empty store = %d, want 0", n)
	}
	historyWrites(t, s)
	revs := allRevisions(t, h, model.RevisionQuery{})
	if len(revs) != 5 {
		t.Fatalf("%d revisions, want 5", len(revs))
	}
	if n := at(revs[0].At.Add(-time.Millisecond)); n != 0 {
		t.Errorf("RevisionAt(before the first) = %d, want 0", n)
	}
	for _, r := range revs {
		if n := at(r.At); n != r.Number {
			t.Errorf("RevisionAt(revision %d's own time) = %d, want %d", r.Number, n, r.Number)
		}
		if n := at(r.At.Add(time.Microsecond)); n != r.Number {
			t.Errorf("RevisionAt(just after revision %d) = %d, want %d", r.Number, n, r.Number)
		}
	}
	if n := at(revs[2].At.Add(-time.Microsecond)); n != 2 {
		t.Errorf("RevisionAt(just before revision 3) = %d, want 2", n)
	}
	if n := at(time.Now().Add(time.Hour)); n != 5 {
		t.Errorf("RevisionAt(the future) = %d, want 5", n)
	}
	// After pruning 1 and 2, the floor (2) answers from its own time until revision 3, and
	// a moment before it has no kept revision.
	_, err := h.Prune(ctx, revs[2].At)
	noErr(t, "Prune", err)
	if n := at(revs[1].At); n != 2 {
		t.Errorf("RevisionAt(the floor's time) after pruning = %d, want 2", n)
	}
	if n := at(revs[2].At.Add(-time.Microsecond)); n != 2 {
		t.Errorf("RevisionAt(just before revision 3) after pruning = %d, want 2", n)
	}
	if n := at(revs[0].At); n != 0 {
		t.Errorf("RevisionAt(a pruned moment before the floor) = %d, want 0", n)
	}
	if n := at(revs[3].At); n != 4 {
		t.Errorf("RevisionAt(revision 4's time) after pruning = %d, want 4", n)
	}
}

func testRevisionQueryRules(t *testing.T, s model.Store) {
	ctx := t.Context()
	h := historyOf(t, s)
	noErr(t, "Import", s.Import(ctx, Fixture()))
	for name, q := range map[string]model.RevisionQuery{
		"first over the limit": {First: model.MaxPageSize + 1},
		"negative since":       {Since: -1},
		"a foreign cursor":     {After: "rel:abc"},
		"a bad id":             {ID: "No Such Id!"},
	} {
		_, err := h.Revisions(ctx, q)
		wantCode(t, name, err, model.CodeBadUserInput)
	}
}
