package model

import (
	"errors"
	"fmt"
)

// Code classifies a domain error. The GraphQL error presenter turns it into extensions.code,
// which is the one place where codes meet the transport.
type Code string

// The error codes clients see. Anything without one of these is INTERNAL and its text is
// logged, never shown.
const (
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeNotFound        Code = "NOT_FOUND"
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeUnavailable     Code = "UNAVAILABLE"
	CodeTimeout         Code = "TIMEOUT"
	CodeInternal        Code = "INTERNAL"
)

// Error is a domain error whose Message is safe to show to a client.
type Error struct {
	Code    Code
	Message string
	// Err is the underlying cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a domain error with a client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the error every lookup returns for an unknown id.
func NotFound(what, id string) *Error {
	return Errorf(CodeNotFound, "no %s with id %q", what, id)
}

// ErrorCode gives the code of err: the code of the first *Error in its chain, INTERNAL otherwise.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsNotFound reports whether err is a NOT_FOUND domain error.
func IsNotFound(err error) bool { return err != nil && ErrorCode(err) == CodeNotFound }
