package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
	berrors "go.etcd.io/bbolt/errors"
)

// Exit statuses of the commands.
const (
	exitOK          = 0
	exitFailed      = 1   // problems in the input, or an error
	exitUsage       = 2   // bad command line
	exitInterrupted = 130 // SIGINT or SIGTERM: nothing was written
)

// stdio is where a command reads and writes; tests give buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// lockedWriter serializes writes to w: whole writes never interleave, and a writer that is
// not safe for concurrent use (a buffer, a pipe wrapper) stays safe.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

const usage = `usage:
  autograph                                serve (see README.md for the settings)
  autograph import [--dry-run] [--format json|jsonl] FILE...
                                           check and import datasets ("-" reads stdin)
  autograph export [--format json|jsonl|graphml|csv|cypher] [--ids ID,...] [--depth N]
                   [--as-of DATE] [--out PATH]
                                           write the graph, or a neighbourhood, to stdout or PATH
The store is the server's: KG_DATA_DIR, or Neo4j when NEO4J_URI is set. See docs/DATASETS.md.
`

// runCommand runs the subcommand named by args[0] and returns the process's exit status.
// ctx is done when the process is told to stop (SIGINT, SIGTERM).
func runCommand(ctx context.Context, args []string, getenv func(string) string, sio stdio) int {
	// The store's driver logs from its own goroutines while the command prints its progress,
	// so every write to the command's outputs goes through one lock per output.
	sio.out, sio.err = &lockedWriter{w: sio.out}, &lockedWriter{w: sio.err}
	switch args[0] {
	case "import":
		return runImport(ctx, args[1:], getenv, sio)
	case "export":
		return runExport(ctx, args[1:], getenv, sio)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(sio.out, usage)
		return exitOK
	}
	fmt.Fprintf(sio.err, "autograph: unknown command %q\n%s", clipValue(args[0]), usage)
	return exitUsage
}

// cliLogger is the store's logger under a command: warnings only, as text, so that the
// command's own lines stay readable.
func cliLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openForCommand opens the configured store for a command. A data directory that a server
// (or another command) holds is refused with a message saying what to do.
func openForCommand(ctx context.Context, cmd string, cfg config, w io.Writer) (model.Store, bool, error) {
	s, empty, err := openConfiguredStore(ctx, cfg, cliLogger(w))
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, false, fmt.Errorf("KG_DATA_DIR=%q is in use by another process, most likely a running autograph server: "+
			"the embedded store has one user at a time. Stop the server and run %s again, or send the dataset to the running server with the importDataset mutation", clipValue(cfg.DataDir), cmd)
	}
	return s, empty, err
}

// storeName says which store a command works on, for its messages.
func storeName(cfg config) string {
	switch {
	case cfg.Neo4j != nil:
		return "Neo4j at " + cfg.Neo4j.URI
	case cfg.DataDir != "":
		return "the embedded store in " + cfg.DataDir
	}
	return "an in-memory store (KG_DATA_DIR=:memory:; nothing is kept)"
}

func runImport(ctx context.Context, args []string, getenv func(string) string, sio stdio) int {
	fs := flag.NewFlagSet("autograph import", flag.ContinueOnError)
	fs.SetOutput(sio.err)
	dryRun := fs.Bool("dry-run", false, "check the files and report, writing nothing")
	format := fs.String("format", "", "json or jsonl (default: by file name; .jsonl and .ndjson are JSON Lines)")
	fs.Usage = func() { fmt.Fprint(sio.err, usage) }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprint(sio.err, "autograph import: no file given\n"+usage)
		return exitUsage
	}
	if *format != "" && *format != string(dataset.FormatJSON) && *format != string(dataset.FormatJSONL) {
		fmt.Fprintf(sio.err, "autograph import: --format=%q: want json or jsonl\n", clipValue(*format))
		return exitUsage
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(sio.err, "autograph import: configuration: %v\n", err)
		return exitFailed
	}
	fail := func(err error) int {
		if ctx.Err() != nil {
			fmt.Fprintln(sio.err, "autograph import: interrupted: nothing was written")
			return exitInterrupted
		}
		fmt.Fprintf(sio.err, "autograph import: %v\n", err)
		return exitFailed
	}

	// Read every file first: their problems are found without holding the store.
	var total int64
	for _, name := range fs.Args() {
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	bar := newProgress(sio.err, total)
	c := dataset.NewCollection()
	// Reading runs on its own goroutine so that a signal ends the command at once even while
	// a read blocks (stdin from a pipe that has gone quiet): nothing has been written yet.
	read := make(chan error, 1)
	go func() { read <- readInputs(ctx, c, fs.Args(), dataset.Format(*format), sio.in, bar) }()
	select {
	case err = <-read:
	case <-ctx.Done():
		err = ctx.Err()
	}
	bar.finish()
	if err != nil {
		return fail(err)
	}

	st, empty, err := openForCommand(ctx, "autograph import", cfg, sio.err)
	if err != nil {
		return fail(err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Close(cctx)
	}()
	var lookup dataset.Store = st
	if seedWanted(cfg, empty) {
		if *dryRun {
			// A dry run writes nothing, so it checks against what the store would hold.
			mem := inmem.New()
			if err := seed.Load(ctx, mem); err != nil {
				return fail(err)
			}
			lookup = mem
			fmt.Fprintf(sio.err, "the store is empty: the import would load the seed dataset first (KG_SEED=%s)\n", cfg.Seed)
		} else {
			if err := seed.Load(ctx, st); err != nil {
				return fail(err)
			}
			fmt.Fprintf(sio.err, "the store was empty: loaded the seed dataset first (KG_SEED=%s; KG_SEED=never skips it)\n", cfg.Seed)
		}
	}
	phase := "checking"
	if !*dryRun {
		phase = "checking and writing"
	}
	stopSpin := spin(sio.err, bar.tty, fmt.Sprintf("%s %d records into %s", phase, c.Records, storeName(cfg)))
	// The revision the import records names who ran it: the operating-system user.
	rep, err := dataset.Import(model.WithActor(ctx, cliActor(getenv)), c, dryRunStore{lookup, *dryRun}, *dryRun)
	stopSpin()
	if err != nil {
		return fail(err)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(sio.err, p)
	}
	summary := fmt.Sprintf("%d records: %d sources, %d entities, %d relations", rep.Records, rep.Sources, rep.Entities, rep.Relations)
	if rep.Stored > 0 {
		summary += fmt.Sprintf(" (referring to %d stored items)", rep.Stored)
	}
	switch {
	case len(rep.Problems) > 0:
		fmt.Fprintf(sio.err, "%s; %d problems: nothing was written\n", summary, len(rep.Problems))
		return exitFailed
	case rep.DryRun:
		fmt.Fprintf(sio.out, "dry run: %s; no problems (nothing was written)\n", summary)
	default:
		fmt.Fprintf(sio.out, "imported %s into %s\n", summary, storeName(cfg))
	}
	return exitOK
}

// readInputs reads the named files (stdin for "-") into c, in format f or the one each
// file's name says, telling bar how far it got.
func readInputs(ctx context.Context, c *dataset.Collection, names []string, f dataset.Format, stdin io.Reader, bar *progress) error {
	var done int64
	for _, name := range names {
		format := f
		if format == "" {
			format = dataset.FormatOf(name)
		}
		r := stdin
		if name != "-" {
			file, err := os.Open(name)
			if err != nil {
				return err
			}
			defer file.Close()
			r = file
		}
		base := done
		err := c.Read(r, name, format, ctx.Err, func(records int, bytes int64) {
			done = base + bytes
			bar.update("reading "+name, records, done)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// dryRunStore refuses to import on a dry run, so that a dry run cannot write even by mistake.
type dryRunStore struct {
	dataset.Store
	dry bool
}

func (s dryRunStore) Import(ctx context.Context, d *model.Dataset) error {
	if s.dry {
		return errors.New("a dry run does not import")
	}
	return s.Store.Import(ctx, d)
}

// exportFormats are the formats of autograph export, by name and by file extension.
var exportFormats = map[string]string{
	"json": "json", "jsonl": "jsonl", "ndjson": "jsonl", "graphml": "graphml", "csv": "csv",
	"cypher": "cypher", "cyp": "cypher", "cql": "cypher",
}

func runExport(ctx context.Context, args []string, getenv func(string) string, sio stdio) int {
	fs := flag.NewFlagSet("autograph export", flag.ContinueOnError)
	fs.SetOutput(sio.err)
	format := fs.String("format", "", "json, jsonl, graphml, csv or cypher (default: by --out's extension, else json)")
	ids := fs.String("ids", "", "comma-separated entity ids: export their neighbourhood instead of the whole graph")
	depth := fs.Int("depth", model.DefaultNeighborhoodDepth, fmt.Sprintf("hops around --ids, 0 to %d", model.MaxNeighborhoodDepth))
	asOf := fs.String("as-of", "", "keep only the relations that hold at this date (2024, 2024-03 or 2024-03-01)")
	out := fs.String("out", "", "write to this file (for csv: this directory) instead of stdout")
	fs.Usage = func() { fmt.Fprint(sio.err, usage) }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(sio.err, "autograph export: "+format+"\n", args...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q (the options come before nothing else)", clipValue(fs.Arg(0)))
	}
	f := *format
	if f == "" && *out != "" {
		f = exportFormats[strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")]
	}
	if f == "" {
		f = "json"
	}
	f, ok := exportFormats[strings.ToLower(f)]
	if !ok {
		return usageErr("--format=%q: want json, jsonl, graphml, csv or cypher", clipValue(*format))
	}
	if f == "csv" && *out == "" {
		return usageErr("--format=csv writes three files: give a directory with --out")
	}
	sel := dataset.Selection{Depth: *depth}
	if *ids != "" {
		for _, id := range strings.Split(*ids, ",") {
			if id = strings.TrimSpace(id); id != "" {
				sel.IDs = append(sel.IDs, id)
			}
		}
	}
	if *depth < 0 || *depth > model.MaxNeighborhoodDepth {
		return usageErr("--depth=%d: want 0 to %d", *depth, model.MaxNeighborhoodDepth)
	}
	if *asOf != "" {
		d, err := model.ParseDate(*asOf)
		if err != nil {
			return usageErr("--as-of=%q: %v", clipValue(*asOf), errMessage(err))
		}
		sel.AsOf = &d
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(sio.err, "autograph export: configuration: %v\n", err)
		return exitFailed
	}
	fail := func(err error) int {
		if ctx.Err() != nil {
			fmt.Fprintln(sio.err, "autograph export: interrupted: nothing was written")
			return exitInterrupted
		}
		fmt.Fprintf(sio.err, "autograph export: %s\n", errMessage(err))
		return exitFailed
	}
	st, _, err := openForCommand(ctx, "autograph export", cfg, sio.err)
	if err != nil {
		return fail(err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Close(cctx)
	}()
	d, truncated, err := dataset.Collect(ctx, st, sel)
	if err != nil {
		return fail(err)
	}
	if truncated {
		fmt.Fprintf(sio.err, "autograph export: the neighbourhood was cut short at %d entities or %d relations around an id; export a smaller depth or the whole graph\n",
			model.MaxNeighborhoodLimit, model.MaxSubgraphRelations)
	}
	if err := writeExport(ctx, f, *out, sio.out, d); err != nil {
		return fail(err)
	}
	if *out != "" {
		fmt.Fprintf(sio.err, "wrote %d sources, %d entities, %d relations to %s\n", len(d.Sources), len(d.Entities()), len(d.Relations), *out)
		if f == "csv" {
			dir, err := filepath.Abs(*out)
			if err != nil {
				dir = *out
			}
			fmt.Fprintf(sio.err, "load them into a new Neo4j database with: %s\n", dataset.NeoAdminCommand("<database>", dir))
		}
	}
	return exitOK
}

// writeExport writes d in format f to out (a file, or for csv a directory) or, without out,
// to stdout. A file is written beside its final name and renamed into place, so an
// interrupted or failed export leaves no half-written file.
func writeExport(ctx context.Context, f, out string, stdout io.Writer, d *model.Dataset) error {
	writers := map[string]func(io.Writer, *model.Dataset) error{
		"json": dataset.WriteJSON, "jsonl": dataset.WriteJSONL, "graphml": dataset.WriteGraphML, "cypher": dataset.WriteCypher,
	}
	if f == "csv" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		var written []string
		err := dataset.WriteCSV(func(name string) (io.WriteCloser, error) {
			return newAtomicFile(ctx, filepath.Join(out, name), &written)
		}, d)
		if err != nil {
			for _, p := range written {
				_ = os.Remove(p)
			}
		}
		return err
	}
	if out == "" {
		return writers[f](stdout, d)
	}
	var written []string
	w, err := newAtomicFile(ctx, out, &written)
	if err != nil {
		return err
	}
	if err := writers[f](w, d); err != nil {
		_ = w.abort()
		return err
	}
	return w.Close()
}

// atomicFile is a file written under a temporary name and renamed to its own on Close.
type atomicFile struct {
	ctx     context.Context
	f       *os.File
	name    string
	written *[]string
}

func newAtomicFile(ctx context.Context, name string, written *[]string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &atomicFile{ctx: ctx, f: f, name: name, written: written}, nil
}

func (a *atomicFile) Write(p []byte) (int, error) {
	if err := a.ctx.Err(); err != nil {
		return 0, err
	}
	return a.f.Write(p)
}

func (a *atomicFile) abort() error {
	return errors.Join(a.f.Close(), os.Remove(a.f.Name()))
}

func (a *atomicFile) Close() error {
	if err := a.ctx.Err(); err != nil {
		return errors.Join(err, a.abort())
	}
	if err := a.f.Close(); err != nil {
		return errors.Join(err, os.Remove(a.f.Name()))
	}
	if err := os.Rename(a.f.Name(), a.name); err != nil {
		return errors.Join(err, os.Remove(a.f.Name()))
	}
	*a.written = append(*a.written, a.name)
	return nil
}

// errMessage is an error's client-safe message when it has one.
func errMessage(err error) string {
	var e *model.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// progress shows how reading goes: a bar redrawn in place on a terminal (records, rate and,
// when the size is known, the share done and the time left), otherwise a plain line every
// progressLogEvery.
type progress struct {
	mu      sync.Mutex // reading may go on, on its goroutine, after an interrupt
	w       io.Writer
	tty     bool
	total   int64
	start   time.Time
	last    time.Time
	drawn   bool
	records int
	bytes   int64
	label   string
}

const (
	progressRedraw   = 100 * time.Millisecond
	progressLogEvery = 5 * time.Second
)

func newProgress(w io.Writer, total int64) *progress {
	now := time.Now()
	return &progress{w: w, tty: isTerminal(w), total: total, start: now, last: now}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	if l, ok := w.(*lockedWriter); ok {
		w = l.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(label string, records int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.records, p.bytes = label, records, bytes
	now := time.Now()
	every := progressLogEvery
	if p.tty {
		every = progressRedraw
	}
	if now.Sub(p.last) < every {
		return
	}
	p.last = now
	p.draw(now)
}

func (p *progress) line(now time.Time) string {
	secs := now.Sub(p.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(p.records) / secs
	}
	s := fmt.Sprintf("%s: %d records, %.0f records/s", p.label, p.records, rate)
	if p.total > 0 && p.bytes > 0 {
		frac := min(float64(p.bytes)/float64(p.total), 1)
		eta := time.Duration(secs/frac*(1-frac)) * time.Second
		if p.tty {
			const width = 30
			n := int(frac * width)
			s = fmt.Sprintf("[%s%s] %3.0f%% %s, ETA %s", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, s, eta.Round(time.Second))
		} else {
			s += fmt.Sprintf(", %.0f%% read, ETA %s", frac*100, eta.Round(time.Second))
		}
	}
	return s
}

func (p *progress) draw(now time.Time) {
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", p.line(now))
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, p.line(now))
}

// finish ends the bar's line on a terminal; elsewhere it logs the total.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.records == 0 && !p.drawn {
		return
	}
	if p.tty {
		p.draw(time.Now())
		fmt.Fprintln(p.w)
		return
	}
	fmt.Fprintln(p.w, p.line(time.Now()))
}

// spin shows that a step with no progress of its own (checking, writing) is running: a
// spinner on a terminal, a line elsewhere. The returned function stops it.
func spin(w io.Writer, tty bool, label string) func() {
	if !tty {
		start := time.Now()
		fmt.Fprintln(w, label+"…")
		return func() { fmt.Fprintf(w, "%s: done in %s\n", label, time.Since(start).Round(100*time.Millisecond)) }
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		t := time.NewTicker(progressRedraw)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r\033[K%c %s (%s)", `|/-\`[i%4], label, time.Since(start).Round(time.Second))
			select {
			case <-done:
				fmt.Fprintf(w, "\r\033[K%s: done in %s\n", label, time.Since(start).Round(100*time.Millisecond))
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// cliActor is who the revisions of a command-line import are recorded as: the user running
// it ($USER, or "cli" when the environment names none).
func cliActor(getenv func(string) string) model.Actor {
	name := strings.TrimSpace(getenv("USER"))
	if name == "" {
		name = "cli"
	}
	return model.Actor{Name: name, Role: model.RoleAdmin, Via: "cli"}
}
