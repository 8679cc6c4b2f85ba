package httpapi

// validJSON reports whether b is one valid JSON text, exactly as encoding/json.Valid does
// (RFC 8259; bytes that are not UTF-8 are accepted inside strings, as there; nesting deeper
// than maxJSONDepth is refused, as there), in one pass without a state machine's call per
// byte: a request's body is mostly the GraphQL document, one long string, and json.Valid
// spent 3 % of a request's CPU on it.
func validJSON(b []byte) bool {
	i := skipJSONSpace(b, 0)
	depth := 0
	// open holds, per nesting level, whether it is an object; a level past the first 64 is
	// kept in more.
	var open uint64
	var more []bool
	isObject := func(level int) bool {
		if level < 64 {
			return open&(1<<level) != 0
		}
		return more[level-64]
	}
	push := func(object bool) bool {
		if depth >= maxJSONDepth {
			return false
		}
		if depth < 64 {
			if object {
				open |= 1 << depth
			} else {
				open &^= 1 << depth
			}
		} else {
			more = append(more[:depth-64], object)
		}
		depth++
		return true
	}
value:
	// i is where a value must start.
	if i >= len(b) {
		return false
	}
	switch c := b[i]; {
	case c == '{' || c == '[':
		object := c == '{'
		if !push(object) {
			return false
		}
		closing := byte(']')
		if object {
			closing = '}'
		}
		i = skipJSONSpace(b, i+1)
		if i < len(b) && b[i] == closing {
			i++
			depth--
			goto after
		}
		if object {
			goto member
		}
		goto value
	case c == '"':
		var ok bool
		if i, ok = jsonStringEnd(b, i); !ok {
			return false
		}
	case c == '-' || c >= '0' && c <= '9':
		var ok bool
		if i, ok = jsonNumberEnd(b, i); !ok {
			return false
		}
	case c == 't':
		if !hasWord(b, i, "true") {
			return false
		}
		i += 4
	case c == 'f':
		if !hasWord(b, i, "false") {
			return false
		}
		i += 5
	case c == 'n':
		if !hasWord(b, i, "null") {
			return false
		}
		i += 4
	default:
		return false
	}
after:
	// A value ended at i: what may follow depends on what holds it.
	i = skipJSONSpace(b, i)
	if depth == 0 {
		return i == len(b)
	}
	if i >= len(b) {
		return false
	}
	switch b[i] {
	case ',':
		i = skipJSONSpace(b, i+1)
		if isObject(depth - 1) {
			goto member
		}
		goto value
	case '}':
		if !isObject(depth - 1) {
			return false
		}
	case ']':
		if isObject(depth - 1) {
			return false
		}
	default:
		return false
	}
	i++
	depth--
	goto after
member:
	// i is where an object member's name must start.
	if i >= len(b) || b[i] != '"' {
		return false
	}
	{
		var ok bool
		if i, ok = jsonStringEnd(b, i); !ok {
			return false
		}
	}
	i = skipJSONSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return false
	}
	i = skipJSONSpace(b, i+1)
	goto value
}

// maxJSONDepth is encoding/json's bound on nesting.
const maxJSONDepth = 10000

// jsonStringEnd is the index just past the string that starts at b[i] (a quote), and
// whether it is a valid JSON string: no control characters, only JSON's escapes.
func jsonStringEnd(b []byte, i int) (int, bool) {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return i, false
		case c == '\\':
			i++
			if i >= len(b) {
				return i, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return i, false
				}
				for _, h := range b[i+1 : i+5] {
					if !isHex(h) {
						return i, false
					}
				}
				i += 4
			default:
				return i, false
			}
		}
	}
	return i, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// jsonNumberEnd is the index just past the number that starts at b[i], and whether it is
// a valid JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func jsonNumberEnd(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return i, false
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i = digitsEnd(b, i+1)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		j := digitsEnd(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digitsEnd(b, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func digitsEnd(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// hasWord reports whether b holds word at i.
func hasWord(b []byte, i int, word string) bool {
	return len(b)-i >= len(word) && string(b[i:i+len(word)]) == word
}
