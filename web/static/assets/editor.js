// A plain textarea made pleasant for code: Tab and Shift+Tab indent and outdent (the lines of
// a selection, or at the caret), Enter keeps the line's indentation (one step more after an
// opening bracket), a gutter numbers the lines, and Ctrl+Enter or Cmd+Enter runs. Escape lets
// the next Tab move the focus on, so the keyboard is never trapped.

const INDENT = '  ';

/**
 * Makes `textarea` (inside `.editor`, with a `.gutter` before it) an editor. `onRun` runs on
 * Ctrl+Enter / Cmd+Enter; `onChange` after every edit. Returns {get, set}.
 */
export function editor(textarea, { onRun, onChange } = {}) {
  const gutter = textarea.parentElement.querySelector('.gutter');
  let escaped = false;

  const numbers = () => {
    const n = textarea.value.split('\n').length;
    if (gutter.dataset.n === String(n)) return;
    gutter.dataset.n = String(n);
    gutter.textContent = Array.from({ length: n }, (_, i) => i + 1).join('\n');
  };
  const sync = () => {
    gutter.scrollTop = textarea.scrollTop;
  };
  // Edits go through execCommand where the browser has it, so Undo keeps working.
  const replace = (start, end, text, selStart, selEnd) => {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // (execCommand fires an input event; setRangeText does not.)
    if (!document.execCommand || !document.execCommand('insertText', false, text)) {
      textarea.setRangeText(text, start, end, 'end');
      changed();
    }
    textarea.setSelectionRange(selStart, selEnd);
  };
  const changed = () => {
    numbers();
    if (onChange) onChange(textarea.value);
  };

  textarea.addEventListener('keydown', (ev) => {
    const { value, selectionStart: start, selectionEnd: end } = textarea;
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      if (onRun) onRun();
      return;
    }
    if (ev.key === 'Escape') {
      escaped = true;
      return;
    }
    if (ev.key === 'Tab' && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
      if (escaped) {
        escaped = false;
        return; // the browser moves the focus
      }
      ev.preventDefault();
      const lineStart = value.lastIndexOf('\n', start - 1) + 1;
      if (!ev.shiftKey && start === end) {
        replace(start, end, INDENT, start + INDENT.length, start + INDENT.length);
        return;
      }
      // Indent or outdent every line the selection touches.
      const blockEnd = end > start && value[end - 1] === '\n' ? end - 1 : end;
      const lines = value.slice(lineStart, blockEnd).split('\n');
      let first = 0;
      let total = 0;
      const out = lines.map((line, i) => {
        if (!ev.shiftKey) {
          if (i === 0) first = INDENT.length;
          total += INDENT.length;
          return INDENT + line;
        }
        const cut = line.startsWith(INDENT) ? INDENT.length : line.startsWith(' ') || line.startsWith('\t') ? 1 : 0;
        if (i === 0) first = -cut;
        total -= cut;
        return line.slice(cut);
      }).join('\n');
      const newStart = Math.max(lineStart, start + first);
      replace(lineStart, blockEnd, out, newStart, start === end ? newStart : end + total);
      return;
    }
    escaped = false;
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.altKey) {
      ev.preventDefault();
      const lineStart = value.lastIndexOf('\n', start - 1) + 1;
      const indent = /^[ \t]*/.exec(value.slice(lineStart, start))[0];
      const before = value.slice(lineStart, start).trimEnd();
      const extra = /[{([]$/.test(before) ? INDENT : '';
      const text = `\n${indent}${extra}`;
      replace(start, end, text, start + text.length, start + text.length);
    }
  });
  textarea.addEventListener('input', changed);
  textarea.addEventListener('scroll', sync);
  numbers();

  return {
    get: () => textarea.value,
    set(text) {
      textarea.value = text;
      numbers();
      sync();
    },
  };
}
