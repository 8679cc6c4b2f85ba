package dataset

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Store is what an import needs of a store: the batch lookups that resolve the references a
// file makes to the stored graph, and Import.
type Store interface {
	model.BatchReader
	model.Importer
}

// Report is the outcome of an import or a dry run, the same for the CLI and the mutation.
type Report struct {
	// DryRun says the dataset was only checked.
	DryRun bool
	// Imported says the dataset was written: false on a dry run and when there are problems.
	Imported bool
	// Records counts the records read; Sources, Entities and Relations the items decoded.
	Records, Sources, Entities, Relations int
	// Stored counts the stored items the records refer to without holding them (an entity a
	// relation starts at, a cited source): they are checked with the dataset and left as
	// they are.
	Stored int
	// Problems lists every problem found, by file and line; the dataset is imported only
	// when there is none.
	Problems []Problem
}

// StoredPosition is the Position of a stored item that the records refer to.
var storedPosition = Position{File: "(stored graph)"}

// lookupBatch bounds the ids of one batch lookup.
const lookupBatch = 1000

// resolve adds to the dataset copies of the stored items that its records refer to and do
// not hold, and of what those refer to in turn, so that Validate sees a dataset whose
// references resolve as they will after the import. Importing an unchanged copy changes
// nothing. It returns how many it added.
func (c *Collection) resolve(ctx context.Context, r model.BatchReader) (int, error) {
	d := &c.Dataset
	// The ids the records hold are those of c.pos; looked is what resolve has asked for.
	looked := map[string]bool{}
	have := func(id string) bool {
		for _, m := range c.pos {
			if _, ok := m[id]; ok {
				return true
			}
		}
		return looked[id]
	}
	wantE, wantS := map[string]bool{}, map[string]bool{}
	needE := func(id string) {
		if id != "" && !wantE[id] && !have(id) && model.CheckID(id) == nil {
			wantE[id] = true
		}
	}
	needS := func(id string) {
		if id != "" && !wantS[id] && !have(id) && model.CheckID(id) == nil {
			wantS[id] = true
		}
	}
	entityRefs := func(e model.Entity) {
		for _, s := range e.Common().SourceIDs {
			needS(s)
		}
		switch v := e.(type) {
		case *model.Organization:
			needE(v.CountryID)
		case *model.Brand:
			needE(v.CountryID)
		}
	}
	for _, s := range d.Sources {
		needE(s.PublisherID)
	}
	for _, e := range d.Entities() {
		entityRefs(e)
	}
	for _, x := range d.Relations {
		needE(x.FromID)
		needE(x.ToID)
		for _, s := range x.SourceIDs {
			needS(s)
		}
	}
	added := 0
	for len(wantE)+len(wantS) > 0 {
		ids := sortedKeys(wantE)
		clear(wantE)
		for _, id := range ids {
			looked[id] = true
		}
		for chunk := range slices.Chunk(ids, lookupBatch) {
			found, err := r.EntitiesByID(ctx, chunk)
			if err != nil {
				return added, err
			}
			for _, id := range chunk {
				if e, ok := found[id]; ok {
					d.Add(e)
					added++
					entityRefs(e)
				}
			}
		}
		ids = sortedKeys(wantS)
		clear(wantS)
		for _, id := range ids {
			looked[id] = true
		}
		for chunk := range slices.Chunk(ids, lookupBatch) {
			found, err := r.SourcesByID(ctx, chunk)
			if err != nil {
				return added, err
			}
			for _, id := range chunk {
				if s, ok := found[id]; ok {
					d.Sources = append(d.Sources, s)
					added++
					needE(s.PublisherID)
				}
			}
		}
	}
	return added, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// validate runs Dataset.Validate, the rules every dataset import passes, and turns each of
// its problems into a Problem at the record it is about. It drops what repeats a record's
// own check (addSource and friends), which Validate words differently.
func (c *Collection) validate(ctx context.Context) ([]Problem, error) {
	err := c.Dataset.ValidateContext(ctx)
	if err == nil {
		return nil, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	dups := map[string]int{}
	var out []Problem
	for _, e := range errs {
		p := c.place(e.Error(), dups)
		if c.repeats(p) {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// equivalent pairs what Validate says with what a record's own check said of the same fault.
var equivalent = map[string]string{
	"no name":             "name must not be empty",
	"no title":            "title must not be empty",
	"no publication date": "publishedOn is required",
	"cites no source":     "a relation must cite at least one source",
}

func (c *Collection) repeats(p Problem) bool {
	for _, m := range c.checked[p.Position] {
		if m == p.Message || equivalent[p.Message] == m {
			return true
		}
	}
	return false
}

// place finds the record a rule's message is about. The rules word a problem of an item as
// `<sort> "<id>": <what is wrong>` (or `<sort>: <what is wrong>` for an id that is not a
// slug, the id then the first quoted text); an id given to two items is reported at the
// second, which dups counts.
func (c *Collection) place(msg string, dups map[string]int) Problem {
	p := Problem{Position: storedPosition, Message: msg}
	word, rest, ok := cutWord(msg)
	if !ok {
		return p
	}
	sort, known := map[string]int{
		"source": sortSource, "relation": sortRelation, "entity": sortEntity,
		"organization": sortEntity, "brand": sortEntity, "vehicle": sortEntity,
		"plant": sortEntity, "place": sortEntity, "agreement": sortEntity,
	}[word]
	if !known {
		return p
	}
	var id string
	switch {
	case strings.HasPrefix(rest, " \""):
		q, err := strconv.QuotedPrefix(rest[1:])
		if err != nil {
			return p
		}
		id, _ = strconv.Unquote(q)
		p.Message = strings.TrimPrefix(rest[1+len(q):], ": ")
	case strings.HasPrefix(rest, ": "):
		p.Message = rest[2:]
		if i := strings.IndexByte(p.Message, '"'); i >= 0 {
			if q, err := strconv.QuotedPrefix(p.Message[i:]); err == nil {
				id, _ = strconv.Unquote(q)
			}
		}
	default:
		return p
	}
	p.What, p.ID = sortNames[sort], id
	at := c.positions(sort, id)
	k := 0
	if strings.Contains(p.Message, "id already used by a") {
		key := sortNames[sort] + "\x00" + id
		dups[key]++
		k = dups[key]
		// The first claim of the id was this sort's first item unless an item of an earlier
		// sort (sources, then entities, then relations) held it.
		for s := range sort {
			if _, ok := c.pos[s][id]; ok {
				k--
				break
			}
		}
	}
	if k >= 0 && k < len(at) {
		p.Position = at[k]
	} else if len(at) > 0 {
		p.Position = at[len(at)-1]
	}
	return p
}

// cutWord splits off the first word of msg.
func cutWord(msg string) (word, rest string, ok bool) {
	i := strings.IndexAny(msg, " :")
	if i <= 0 {
		return "", "", false
	}
	return msg[:i], msg[i:], true
}

// Check reads nothing more: it resolves the collection's references against the store (when
// r is not nil), validates it, and returns the report with every problem in input order. The
// caller imports only when the report has no problem (Import does both).
func (c *Collection) Check(ctx context.Context, r model.BatchReader) (*Report, error) {
	rep := &Report{
		Records:   c.Records,
		Sources:   len(c.Dataset.Sources),
		Entities:  len(c.Dataset.Entities()),
		Relations: len(c.Dataset.Relations),
	}
	if r != nil {
		n, err := c.resolve(ctx, r)
		if err != nil {
			return nil, err
		}
		rep.Stored = n
	}
	vp, err := c.validate(ctx)
	if err != nil {
		return nil, err
	}
	rep.Problems = append(slices.Clone(c.Problems), vp...)
	c.sortProblems(rep.Problems)
	return rep, nil
}

// files remembers the order in which inputs were read, for sorting problems.
func (c *Collection) fileRank(name string) int {
	if i := slices.Index(c.files, name); i >= 0 {
		return i
	}
	return len(c.files)
}

func (c *Collection) sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if x := cmp.Compare(c.fileRank(a.File), c.fileRank(b.File)); x != 0 {
			return x
		}
		return cmp.Compare(a.Line, b.Line)
	})
}

// Import checks the collection (Check) and, when nothing is wrong and dryRun is false, imports
// it with st.Import. A refusal of the store (an id a stored item of another sort holds, a
// cycle through stored relations) is a Problem of the report, and nothing is written; an
// error is returned only when the store fails or ctx is done, and then too nothing is
// written, as Store.Import promises.
func Import(ctx context.Context, c *Collection, st Store, dryRun bool) (*Report, error) {
	rep, err := c.Check(ctx, st)
	if err != nil {
		return nil, err
	}
	rep.DryRun = dryRun
	if dryRun || len(rep.Problems) > 0 {
		return rep, nil
	}
	if err := st.Import(ctx, &c.Dataset); err != nil {
		var me *model.Error
		if ctx.Err() == nil && errors.As(err, &me) && me.Code == model.CodeBadUserInput {
			rep.Problems = append(rep.Problems, c.place(me.Message, map[string]int{}))
			return rep, nil
		}
		return nil, err
	}
	rep.Imported = true
	return rep, nil
}

// MaxDocumentBytes bounds a dataset sent in one request (the importDataset mutation), so one
// request cannot hold the store's write lock or the server's memory for long. Files have no
// limit: `autograph import` streams them.
const MaxDocumentBytes = 512 << 10

// ImportDocument reads a whole dataset given as text (named name in its problems) and
// imports it as Import does: the mutation's path, the same as the CLI's but for the size
// limit. A document over MaxDocumentBytes is BAD_USER_INPUT naming the limit.
func ImportDocument(ctx context.Context, st Store, name, data string, f Format, dryRun bool) (*Report, error) {
	if len(data) > MaxDocumentBytes {
		return nil, model.Errorf(model.CodeBadUserInput,
			"the dataset is %d bytes, more than the limit of %d bytes (512 KiB) for one request; import larger files with `autograph import`",
			len(data), MaxDocumentBytes)
	}
	c := NewCollection()
	if err := c.Read(strings.NewReader(data), name, f, ctx.Err, nil); err != nil {
		return nil, err
	}
	return Import(ctx, c, st, dryRun)
}
