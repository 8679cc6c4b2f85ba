package gqlmodel

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/autograph-kg/autograph/graph/model"
)

// Revision is a model.Revision as the API shows it. Focus is the id a history listing is
// about, whose content before and after the revision its before and after fields show; it is
// empty in listings across the graph.
type Revision struct {
	*model.Revision
	Focus string
}

// JSON is the JSON scalar: a value already encoded, written out as it is.
type JSON json.RawMessage

// MarshalGQL writes the value; an empty one is null.
func (j JSON) MarshalGQL(w io.Writer) {
	if len(j) == 0 {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = w.Write(j)
}

// UnmarshalGQL refuses JSON input: the scalar is only ever an output.
func (j *JSON) UnmarshalGQL(v any) error {
	return fmt.Errorf("JSON values are answers only, never arguments")
}

// ItemJSON encodes an item as the JSON scalar shows it (null for the zero Item).
func ItemJSON(it model.Item) (JSON, error) {
	if !it.Exists() {
		return nil, nil
	}
	b, err := json.Marshal(it)
	return JSON(b), err
}
