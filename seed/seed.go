// Package seed holds the knowledge graph's starting dataset and loads it into a store.
//
// The dataset (graph.json) is embedded in the binary, so a fresh machine needs nothing else.
// Its facts come from a TASS report of 18 April 2023 (dateline Kaliningrad) on Avtotor and
// BAIC, restated in this project's own words; every relation cites that report.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/autograph-kg/autograph/graph/model"
)

//go:embed graph.json
var graphJSON []byte

// MaxSize bounds a dataset document, so a hostile file cannot exhaust memory.
const MaxSize = 64 << 20

// Decode reads a dataset document (the JSON form of model.Dataset), refusing unknown fields,
// trailing data and invalid dates, and then validates the whole graph.
func Decode(r io.Reader) (*model.Dataset, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxSize+1))
	dec.DisallowUnknownFields()
	var d model.Dataset
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("seed: decode: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("seed: decode: trailing data after the dataset")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("seed: decode: trailing data after the dataset")
	}
	for i, s := range d.Sources {
		if s == nil {
			return nil, fmt.Errorf("seed: decode: source %d is null", i)
		}
	}
	for i, e := range d.Entities() {
		if model.CheckEntityValue(e) != nil {
			return nil, fmt.Errorf("seed: decode: entity %d is null", i)
		}
	}
	for i, r := range d.Relations {
		if r == nil {
			return nil, fmt.Errorf("seed: decode: relation %d is null", i)
		}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("seed: invalid dataset: %w", err)
	}
	return &d, nil
}

// Dataset returns a fresh copy of the embedded seed dataset, validated.
func Dataset() (*model.Dataset, error) {
	return Decode(bytes.NewReader(graphJSON))
}

// Load validates the embedded dataset and upserts it into the store. Loading twice changes
// nothing: every entity, source and relation is keyed by its id.
func Load(ctx context.Context, s model.Importer) error {
	d, err := Dataset()
	if err != nil {
		return err
	}
	if err := s.Import(ctx, d); err != nil {
		return fmt.Errorf("seed: import: %w", err)
	}
	return nil
}
