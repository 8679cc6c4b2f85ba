package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph/model"
)

// presentError is the one place where errors meet the transport. Domain errors keep their
// code and client-safe message; gqlgen's own parse and validation errors keep theirs;
// anything caused by the request's deadline becomes TIMEOUT (checked first, so both stores
// report it alike, whatever they wrap it in); anything else is logged and shown only as
// INTERNAL.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var de *model.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			gqlErr.Message = "the request took too long and was stopped"
			setCode(gqlErr, string(model.CodeTimeout))
		case errors.Is(err, context.Canceled):
			gqlErr.Message = "the request was cancelled"
			setCode(gqlErr, string(model.CodeTimeout))
		case errors.As(err, &de):
			if de.Code == model.CodeInternal {
				logger.ErrorContext(ctx, "internal error", "error", clip(err.Error(), maxLoggedError), "path", clip(gqlErr.Path.String(), maxLogged))
				de = model.Errorf(model.CodeInternal, "internal error")
			}
			if de.Code == model.CodeUnavailable && de.Err != nil {
				logger.WarnContext(ctx, "store unavailable", "error", clip(err.Error(), maxLoggedError))
			}
			gqlErr.Message = de.Message
			setCode(gqlErr, string(de.Code))
		case gqlErr.Extensions["code"] != nil:
			// Parse, validation, complexity and depth errors from gqlgen and our extensions:
			// their messages describe the client's query and are safe to show.
		case isRequestError(err, gqlErr):
			// gqlgen's own verdict on the request itself (a body that is not a GraphQL
			// request, a persisted-query mismatch): about the input, and safe to show.
			setCode(gqlErr, string(model.CodeBadUserInput))
		default:
			logger.ErrorContext(ctx, "internal error", "error", clip(err.Error(), maxLoggedError), "path", clip(gqlErr.Path.String(), maxLogged))
			gqlErr.Message = "internal error"
			setCode(gqlErr, string(model.CodeInternal))
		}
		gqlErr.Message = clipMessage(gqlErr.Message)
		return gqlErr
	}
}

// isRequestError reports whether err is an error gqlgen raised about the request before
// executing anything: a bare *gqlerror.Error with no path and no underlying Go error. Errors
// from resolvers always carry a path, and internal failures carry their cause.
func isRequestError(err error, presented *gqlerror.Error) bool {
	var g *gqlerror.Error
	return errors.As(err, &g) && g.Unwrap() == nil && len(presented.Path) == 0
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// recoverPanic turns a resolver panic into an INTERNAL error; the stack goes to the log.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return model.Errorf(model.CodeInternal, "internal error")
	}
}
