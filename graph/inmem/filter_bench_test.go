//go:build unix

package inmem_test

import (
	"context"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// BenchmarkFilteredListing measures listings with relation filters over the synthetic 100k
// dataset, and reports each call's p50 and p99 latency and the CPU time per call besides the
// mean. Run with:
//
//	go test -run '^$' -bench FilteredListing -benchtime 200x ./graph/inmem/
func BenchmarkFilteredListing(b *testing.B) {
	ctx := context.Background()
	f := loadScale(b, 100_000)
	y2023 := model.MustDate("2023")
	assembling := &model.RelatedWhere{Direction: model.DirectionOut, Types: []model.RelationType{model.RelAssembles}, AsOf: &y2023}
	text := func(s string) *model.TextFilter { return &model.TextFilter{StartsWith: &s} }
	two := 2
	for _, tc := range []struct {
		name string
		q    model.EntityQuery
	}{
		// The benchmark the performance target names: one relation filter on a listing.
		{"orgs-assembling-in-2023", model.EntityQuery{Kind: model.KindOrganization, First: 20,
			Filter: model.EntityFilter{Where: &model.EntityWhere{Relations: assembling}}}},
		{"brands-with-several-assemblers", model.EntityQuery{Kind: model.KindBrand, First: 20,
			Filter: model.EntityFilter{Where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionIn, Types: []model.RelationType{model.RelAssembles}, Others: &model.IntFilter{Gte: &two},
			}}}}},
		{"all-kinds-assembling-in-2023", model.EntityQuery{First: 20,
			Filter: model.EntityFilter{Where: &model.EntityWhere{Relations: assembling}}}},
		{"orgs-assembling-a-brand-of-an-a-owner", model.EntityQuery{Kind: model.KindOrganization, First: 20,
			Filter: model.EntityFilter{Where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: []model.RelationType{model.RelAssembles},
				Some: &model.RelationWhere{Other: &model.EntityWhere{Relations: &model.RelatedWhere{
					Direction: model.DirectionIn, Types: []model.RelationType{model.RelOwnsBrand},
					Some: &model.RelationWhere{Other: &model.EntityWhere{Name: text("a")}},
				}}},
			}}}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var total int
			cpu0 := cpuTime()
			for range b.N {
				start := time.Now()
				p, err := f.store.Entities(ctx, tc.q)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				total = p.TotalCount
			}
			cpu := cpuTime() - cpu0
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(total), "matches")
			// The process's CPU time per call: what the machine's other load does not inflate
			// as much as it does wall-clock latency on a shared machine.
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
