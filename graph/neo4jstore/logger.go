package neo4jstore

import (
	"context"
	"fmt"
	"log/slog"
)

// driverLogger routes the driver's log calls to slog. The driver reports errors it may still
// recover from (it retries), so they are warnings here; the error a caller finally gets is
// logged by whoever handles it.
type driverLogger struct{ l *slog.Logger }

func (d driverLogger) Error(name, id string, err error) {
	d.l.Warn("neo4j driver", "component", name, "id", id, "err", err)
}

func (d driverLogger) Warnf(name, id, msg string, args ...any) {
	d.logf(slog.LevelWarn, name, id, msg, args)
}

func (d driverLogger) Infof(name, id, msg string, args ...any) {
	d.logf(slog.LevelInfo, name, id, msg, args)
}

func (d driverLogger) Debugf(name, id, msg string, args ...any) {
	d.logf(slog.LevelDebug, name, id, msg, args)
}

// logf formats only when the level is enabled: the driver's debug output is chatty.
func (d driverLogger) logf(level slog.Level, name, id, msg string, args []any) {
	ctx := context.Background()
	if !d.l.Enabled(ctx, level) {
		return
	}
	d.l.Log(ctx, level, "neo4j driver: "+fmt.Sprintf(msg, args...), "component", name, "id", id)
}
