package httpapi

import (
	"strings"
	"unicode/utf8"
)

// Whatever a client sends may come back in an error message or go to the log: an id, a date,
// an operation name, a field name. Each is clipped here, so a 200 KB argument costs a few
// dozen bytes of answer and of log, as cursors already do.

const (
	// maxEchoed bounds one client value quoted in a message.
	maxEchoed = 64
	// maxWord bounds a run of text without spaces (an unquoted value) in a message.
	maxWord = 96
	// maxMessage bounds a whole error message.
	maxMessage = 1000
	// maxLogged bounds a client-chosen value in a log line (the operation name).
	maxLogged = 100
	// maxLoggedError bounds an internal error's text in the log, which may quote input.
	maxLoggedError = 2000
)

// clip shortens s to at most n bytes of valid UTF-8, marking the cut with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.ToValidUTF8(s[:cut], "") + "…"
}

// clipMessage shortens the client values an error message repeats: every quoted string to
// maxEchoed bytes, every other run without spaces to maxWord, and the whole to maxMessage.
func clipMessage(msg string) string {
	if len(msg) <= maxEchoed {
		return msg
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		switch c := msg[i]; {
		case c == '"':
			end := closingQuote(msg, i+1)
			inner := msg[i+1 : end]
			if len(inner) > maxEchoed {
				inner = clipEscaped(inner, maxEchoed)
			}
			b.WriteByte('"')
			b.WriteString(inner)
			if end < len(msg) {
				b.WriteByte('"')
				end++
			}
			i = end
		case c == ' ' || c == '\n' || c == '\t':
			b.WriteByte(c)
			i++
		default:
			end := i
			for end < len(msg) && msg[end] != ' ' && msg[end] != '\n' && msg[end] != '\t' && msg[end] != '"' {
				end++
			}
			word := msg[i:end]
			if len(word) > maxWord {
				word = clip(word, maxEchoed)
			}
			b.WriteString(word)
			i = end
		}
	}
	return clip(b.String(), maxMessage)
}

// closingQuote is the index of the quote closing a string that starts at i, or len(s).
func closingQuote(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(s)
}

// clipEscaped clips the inside of a quoted string without cutting an escape sequence in two.
func clipEscaped(s string, n int) string {
	c := clip(s, n)
	c = strings.TrimSuffix(c, "…")
	// Drop a dangling backslash, and a \u escape cut short.
	if i := strings.LastIndexByte(c, '\\'); i >= 0 && len(c)-i < 6 {
		c = c[:i]
	}
	return c + "…"
}
