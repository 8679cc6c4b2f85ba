package history

import (
	"context"
	"log/slog"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// Retain prunes, until ctx is done, the revisions older than keep: once at once, then every
// interval (an hour at most, keep/10 when shorter, a minute at least). Pruning only forgets
// history; the graph is never touched (model.History.Prune). A failed round is logged and the
// next one tries again. Retain returns when ctx is done.
func Retain(ctx context.Context, h model.History, keep time.Duration, logger *slog.Logger) {
	every := min(max(keep/10, time.Minute), time.Hour)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := h.Prune(ctx, time.Now().Add(-keep))
		switch {
		case err != nil && ctx.Err() == nil:
			logger.WarnContext(ctx, "pruning history failed; retrying later", "error", err.Error())
		case n > 0:
			logger.InfoContext(ctx, "pruned history", "revisions", n, "olderThan", keep.String())
		}
		t.Reset(every)
	}
}
