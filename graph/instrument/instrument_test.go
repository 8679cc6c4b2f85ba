package instrument

import (
	"context"
	"reflect"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// TestEveryStoreMethodIsCounted calls every method of model.Store through the wrapper, found
// by reflection so that a method added later is covered without editing the test, and checks
// that each call is counted once in the request counter and in the metrics, and that it
// reaches the wrapped method of the same name (same answer as calling the store directly).
func TestEveryStoreMethodIsCounted(t *testing.T) {
	ctx := context.Background()
	inner := inmem.New()
	if err := seed.Load(ctx, inner); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	wrapped := Wrap(inner, m)

	iface := reflect.TypeFor[model.Store]()
	if iface.NumMethod() < 21 {
		t.Fatalf("model.Store has %d methods; the test expects every one of them", iface.NumMethod())
	}
	var closeMethod reflect.Method
	for i := range iface.NumMethod() {
		meth := iface.Method(i)
		if meth.Name == "Close" {
			closeMethod = meth // last, so the other calls find the store open
			continue
		}
		checkCounted(t, wrapped, inner, reg, meth)
	}
	checkCounted(t, wrapped, inner, reg, closeMethod)
}

func checkCounted(t *testing.T, wrapped *Store, inner model.Store, reg *prometheus.Registry, meth reflect.Method) {
	t.Helper()
	ctx, counter := WithCounter(context.Background())
	_, write := reflect.TypeFor[model.Writer]().MethodByName(meth.Name)
	args := []reflect.Value{reflect.ValueOf(ctx)}
	for j := 1; j < meth.Type.NumIn(); j++ {
		args = append(args, argFor(meth.Type.In(j), write))
	}
	before := storeCallsOf(t, reg, meth.Name)
	got := reflect.ValueOf(wrapped).MethodByName(meth.Name).Call(args)
	if n := counter.Load(); n != 1 {
		t.Errorf("%s: the request counter counted %d calls, want 1", meth.Name, n)
	}
	if d := storeCallsOf(t, reg, meth.Name) - before; d != 1 {
		t.Errorf("%s: autograph_store_calls_total grew by %v, want 1", meth.Name, d)
	}
	if meth.Name == "Close" {
		return // closing twice is not the same call
	}
	want := reflect.ValueOf(inner).MethodByName(meth.Name).Call(args)
	for k := range got {
		g, w := got[k].Interface(), want[k].Interface()
		if ge, ok := g.(error); ok {
			we, _ := w.(error)
			if we == nil || ge.Error() != we.Error() {
				t.Errorf("%s: error %v through the wrapper, %v directly", meth.Name, ge, we)
			}
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: result %d differs through the wrapper:\n got  %#v\n want %#v", meth.Name, k, g, w)
		}
	}
}

// argFor returns an argument of type t that the seeded store can answer: a known id for the
// reads and an unknown one for the writes (so that a write refused through the wrapper is
// refused again directly), a fresh value for pointers, the zero value otherwise.
func argFor(t reflect.Type, write bool) reflect.Value {
	switch {
	case t.Kind() == reflect.String && write:
		return reflect.ValueOf("no-such-id").Convert(t)
	case t.Kind() == reflect.String:
		return reflect.ValueOf("avtotor").Convert(t)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return reflect.ValueOf([]string{"avtotor", "kia"}).Convert(t)
	case t.Kind() == reflect.Pointer:
		return reflect.New(t.Elem())
	case t.Kind() == reflect.Interface:
		return reflect.ValueOf(model.Entity(&model.Organization{})) // no id: refused by the write rules
	}
	return reflect.Zero(t)
}

// storeCallsOf sums autograph_store_calls_total over the outcome codes of one method.
func storeCallsOf(t *testing.T, reg *prometheus.Registry, method string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, f := range families {
		if f.GetName() != "autograph_store_calls_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == "method" && l.GetValue() == method {
					total += s.GetCounter().GetValue()
				}
			}
		}
	}
	return total
}
