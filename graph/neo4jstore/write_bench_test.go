package neo4jstore

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// BenchmarkWriteLatency times UpsertEntity against the test server, each call changing an
// entity (so each one writes, and records its revision), from one client and from four at
// once, and reports the latency percentiles beside ns/op:
//
//	go test ./graph/neo4jstore -run '^$' -bench WriteLatency -benchtime 2000x
func BenchmarkWriteLatency(b *testing.B) {
	s := newTestStore(b)
	for _, clients := range []int{1, 4} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			lat := make([]time.Duration, b.N)
			var wg sync.WaitGroup
			next := make(chan int)
			errs := make(chan error, clients)
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						e := &model.Organization{EntityBase: model.EntityBase{ID: fmt.Sprintf("org-%d", i%50),
							Name: fmt.Sprintf("Org %d/%d", c, i)}, Type: model.OrgGroup}
						t0 := time.Now()
						if _, err := s.UpsertEntity(b.Context(), e); err != nil {
							errs <- err
							return
						}
						lat[i] = time.Since(t0)
					}
				}()
			}
			b.ResetTimer()
		feed:
			for i := range b.N {
				select {
				case next <- i:
				case err := <-errs:
					b.Error(err)
					break feed
				}
			}
			close(next)
			wg.Wait()
			b.StopTimer()
			slices.Sort(lat)
			for _, p := range []struct {
				name string
				q    float64
			}{{"p50-ms", 0.50}, {"p99-ms", 0.99}} {
				b.ReportMetric(float64(lat[int(p.q*float64(len(lat)-1))].Microseconds())/1000, p.name)
			}
		})
	}
}
