// Command datasetgen writes a synthetic dataset (seed/synth) as a dataset file, for measuring
// `autograph import` at scale (bench/import-bulk.sh):
//
//	go run ./bench/datasetgen -entities 1000000 -out synth-1m.jsonl
//
// The same arguments always write the same file. The format follows -out's extension
// (.jsonl or .json); without -out it writes JSON Lines to stdout.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/seed/synth"
)

func main() {
	entities := flag.Int("entities", 1_000_000, "entities to generate (sources and relations come on top)")
	seed := flag.Int64("seed", 1, "seed of the pseudo-random stream")
	out := flag.String("out", "", "file to write (default: stdout, JSON Lines)")
	flag.Parse()
	if err := run(*entities, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "datasetgen:", err)
		os.Exit(1)
	}
}

func run(entities int, seed int64, out string) (err error) {
	d := synth.Generate(entities, seed)
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, f.Close()) }()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	write := dataset.WriteJSONL
	if out != "" && dataset.FormatOf(out) == dataset.FormatJSON {
		write = dataset.WriteJSON
	}
	if err := write(bw, d); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "datasetgen: %d sources, %d entities, %d relations\n", len(d.Sources), len(d.Entities()), len(d.Relations))
	return nil
}
