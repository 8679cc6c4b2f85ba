package inmem_test

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// BenchmarkScale measures the embedded store over synthetic datasets (seed/synth) of 10k and
// 100k entities, and of 1M when KG_BENCH_1M=1 (generating and importing it takes a while and
// a few GiB). Each size is generated and imported once; the sub-benchmarks then query that
// store. Run with:
//
//	go test -run '^$' -bench Scale -benchmem ./graph/inmem/
//
// Import reports MB-heap: the heap in use by the store after import, measured after a GC
// with the generated dataset dropped (the store keeps its own copy), as a server holds it.
func BenchmarkScale(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("KG_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(sizeName(n), func(b *testing.B) { benchSize(b, n) })
	}
}

func sizeName(n int) string {
	switch {
	case n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "M"
	case n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

// scaleFixture is a loaded store and the ids the benchmarks ask about, chosen once from the
// dataset so that every run of a benchmark asks the same questions.
type scaleFixture struct {
	store *inmem.Store
	// sample is a random sample of entity ids, for batches and path endpoints.
	sample []string
	// hub is the entity of highest degree; typical an organization of median degree among
	// organizations.
	hub, typical   string
	hubDeg, typDeg int
	// brandName is the name of one brand, for exact-match and prefix searches.
	brandName string
	heapMB    float64
	relations int
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// loadScale generates and imports n synthetic entities and picks the ids to ask about.
func loadScale(b *testing.B, n int) *scaleFixture {
	b.Helper()
	ctx := context.Background()
	base := heapInUse()
	f, err := importScale(ctx, n)
	if err != nil {
		b.Fatal(err)
	}
	// The dataset is out of scope by now: the store holds copies, and the server does not
	// keep the dataset it imported either, so what remains is the store's footprint.
	if after := heapInUse(); after > base {
		f.heapMB = float64(after-base) / (1 << 20)
	}
	b.Cleanup(func() { _ = f.store.Close(ctx) })
	return f
}

// importScale is loadScale's work, in a function of its own so that the dataset is
// unreachable once it returns.
func importScale(ctx context.Context, n int) (*scaleFixture, error) {
	d := synth.Generate(n, 1)
	st := inmem.New()
	if err := st.Import(ctx, d); err != nil {
		return nil, err
	}
	f := &scaleFixture{store: st, relations: len(d.Relations), brandName: d.Brands[len(d.Brands)/2].Name}
	degree := map[string]int{}
	for _, r := range d.Relations {
		degree[r.FromID]++
		degree[r.ToID]++
	}
	ents := d.Entities()
	for _, e := range ents {
		if deg := degree[e.GetID()]; deg > f.hubDeg {
			f.hub, f.hubDeg = e.GetID(), deg
		}
	}
	orgs := slices.Clone(d.Organizations)
	slices.SortFunc(orgs, func(a, b *model.Organization) int { return degree[a.ID] - degree[b.ID] })
	f.typical = orgs[len(orgs)/2].ID
	f.typDeg = degree[f.typical]
	rng := rand.New(rand.NewPCG(1, 2))
	f.sample = make([]string, 4096)
	for i := range f.sample {
		f.sample[i] = ents[rng.IntN(len(ents))].GetID()
	}
	return f, nil
}

func benchSize(b *testing.B, n int) {
	ctx := context.Background()
	f := loadScale(b, n)
	b.Logf("%d entities, %d relations; hub %s (degree %d), typical %s (degree %d); store heap %.0f MB",
		n, f.relations, f.hub, f.hubDeg, f.typical, f.typDeg, f.heapMB)

	b.Run("Generate", func(b *testing.B) {
		for range b.N {
			_ = synth.Generate(n, 1)
		}
	})
	b.Run("Import", func(b *testing.B) {
		d := synth.Generate(n, 1)
		b.ResetTimer()
		for range b.N {
			st := inmem.New()
			if err := st.Import(ctx, d); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = st.Close(ctx)
			b.StartTimer()
		}
		b.ReportMetric(f.heapMB, "MB-heap")
		b.ReportMetric(float64(f.relations), "relations")
	})
	st := f.store

	b.Run("EntitiesByID/100", func(b *testing.B) {
		for i := range b.N {
			off := (i * 100) % (len(f.sample) - 100)
			if _, err := st.EntitiesByID(ctx, f.sample[off:off+100]); err != nil {
				b.Fatal(err)
			}
		}
	})

	first, err := st.Entities(ctx, model.EntityQuery{First: 20})
	if err != nil {
		b.Fatal(err)
	}
	page2 := model.EntityQuery{}.Cursor(first.Items[len(first.Items)-1])
	for _, tc := range []struct {
		name string
		q    model.EntityQuery
	}{
		{"all-by-name", model.EntityQuery{First: 20}},
		{"all-by-name-page2", model.EntityQuery{First: 20, After: page2}},
		{"brands-by-id", model.EntityQuery{Kind: model.KindBrand, First: 20, Order: model.Order{Field: model.SortByID}}},
		{"orgs-name-contains", model.EntityQuery{Kind: model.KindOrganization, First: 20, Filter: model.EntityFilter{NameContains: "motors"}}},
	} {
		b.Run("Entities/"+tc.name, func(b *testing.B) {
			for range b.N {
				if _, err := st.Entities(ctx, tc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}

	b.Run("RelationsOf/100", func(b *testing.B) {
		for i := range b.N {
			off := (i * 100) % (len(f.sample) - 100)
			if _, err := st.RelationsOf(ctx, f.sample[off:off+100], model.RelationsOfQuery{First: 20}); err != nil {
				b.Fatal(err)
			}
		}
	})

	for _, tc := range []struct {
		name  string
		text  string
		kinds []model.EntityKind
	}{
		{"exact-name", f.brandName, nil},
		{"prefix", f.brandName[:3], nil},
		{"word", "motors", nil},
		{"common-fragment", "ra", nil},
		{"common-fragment-brands", "ra", []model.EntityKind{model.KindBrand}},
		{"no-match", "qqxj", nil},
	} {
		b.Run("Search/"+tc.name, func(b *testing.B) {
			var hits int
			for range b.N {
				h, err := st.Search(ctx, model.SearchQuery{Text: tc.text, Kinds: tc.kinds})
				if err != nil {
					b.Fatal(err)
				}
				hits = len(h)
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}

	for _, c := range []struct{ name, id string }{{"hub", f.hub}, {"typical", f.typical}} {
		for depth := 1; depth <= model.MaxNeighborhoodDepth; depth++ {
			b.Run("Neighborhood/"+c.name+"/depth"+strconv.Itoa(depth), func(b *testing.B) {
				var nodes, rels int
				for range b.N {
					g, err := st.Neighborhood(ctx, model.NeighborhoodQuery{ID: c.id, Depth: depth, Limit: model.MaxNeighborhoodLimit})
					if err != nil {
						b.Fatal(err)
					}
					nodes, rels = len(g.Nodes), len(g.Relations)
				}
				b.ReportMetric(float64(nodes), "nodes")
				b.ReportMetric(float64(rels), "rels")
			})
		}
	}

	// The explorer's question about a hub: two hops, 200 nodes, which the first layer fills.
	b.Run("Neighborhood/hub/depth2/limit200", func(b *testing.B) {
		var nodes, rels int
		for range b.N {
			g, err := st.Neighborhood(ctx, model.NeighborhoodQuery{ID: f.hub, Depth: 2, Limit: 200})
			if err != nil {
				b.Fatal(err)
			}
			nodes, rels = len(g.Nodes), len(g.Relations)
		}
		b.ReportMetric(float64(nodes), "nodes")
		b.ReportMetric(float64(rels), "rels")
	})

	// Random pairs: most are not connected within the length limit, which is the expensive
	// case (the search runs to the limit); found reports the share that were.
	for _, maxLen := range []int{model.DefaultPathLength, model.MaxPathLength} {
		b.Run("Paths/random/maxlen"+strconv.Itoa(maxLen), func(b *testing.B) {
			var asked, found int
			for i := range b.N {
				from, to := f.sample[(2*i)%len(f.sample)], f.sample[(2*i+1)%len(f.sample)]
				ps, err := st.Paths(ctx, model.PathQuery{From: from, To: to, MaxLength: maxLen})
				if err != nil {
					b.Fatal(err)
				}
				asked++
				if len(ps) > 0 {
					found++
				}
			}
			b.ReportMetric(float64(found)/float64(asked), "found")
		})
	}
}

// BenchmarkDisk measures a data directory over the synthetic datasets of BenchmarkScale: the
// first import into an empty directory (Open, Import, Close) and a later Open of the
// directory it leaves (reading everything back into memory). Both report MB-heap, the heap
// the store holds afterwards. Run with:
//
//	go test -run '^$' -bench Disk -benchtime 1x ./graph/inmem/
func BenchmarkDisk(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("KG_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	ctx := context.Background()
	for _, n := range sizes {
		b.Run(sizeName(n), func(b *testing.B) {
			dir := b.TempDir()
			b.Run("Import", func(b *testing.B) {
				d := synth.Generate(n, 1)
				for i := range b.N {
					b.StopTimer()
					sub := dir
					if i > 0 {
						sub = b.TempDir()
					}
					b.StartTimer()
					st, _, err := inmem.Open(ctx, sub)
					if err != nil {
						b.Fatal(err)
					}
					if err := st.Import(ctx, d); err != nil {
						b.Fatal(err)
					}
					if err := st.Close(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("Open", func(b *testing.B) {
				base := heapInUse()
				var st *inmem.Store
				for range b.N {
					if st != nil {
						_ = st.Close(ctx)
						st = nil
					}
					var err error
					if st, _, err = inmem.Open(ctx, dir); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(heapInUse()-base)/(1<<20), "MB-heap")
				_ = st.Close(ctx)
			})
		})
	}
}
