// A search box with suggestions, following the WAI-ARIA combobox pattern ("list autocomplete
// without automatic selection"): type to get suggestions, arrow keys to move through them,
// Enter to pick, Escape to close (and, when already closed, to clear).

import { gql, SEARCH } from './api.js';
import { h, kindLabel, debounce } from './format.js';

let nextId = 0;

export class Combobox {
  /**
   * Builds the combobox inside `root`. `onSelect(entity)` runs when a suggestion is picked.
   * The label and placeholder come from the options or from data-label/data-placeholder;
   * `variables()` adds variables to each search.
   */
  constructor(root, { label, placeholder, onSelect, variables, delay = 150 } = {}) {
    const id = `cb${++nextId}`;
    this.root = root;
    this.onSelect = onSelect || (() => {});
    // More variables of the search (the "as known on" moment), read at each search.
    this.variables = variables || (() => ({}));
    this.items = [];
    this.active = -1;
    this.query = '';
    this.controller = null;
    this.seq = 0;

    this.input = h('input', {
      id: `${id}-input`,
      type: 'search',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: false,
      placeholder: placeholder || root.dataset.placeholder || '',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': `${id}-listbox`,
    });
    this.listbox = h('ul', { id: `${id}-listbox`, role: 'listbox', className: 'combobox-list', hidden: true, 'aria-label': 'Suggestions' });
    this.message = h('p', { className: 'combobox-message', hidden: true });
    this.live = h('p', { className: 'visually-hidden', 'aria-live': 'polite' });
    root.classList.add('combobox');
    root.replaceChildren(
      h('label', { for: this.input.id, className: 'combobox-label' }, label || root.dataset.label || 'Search'),
      h('div', { className: 'combobox-field' }, this.input, this.listbox, this.message),
      this.live,
    );

    this.pickFirst = false;
    this.search = debounce((q) => {
      this.pickFirst = false;
      this.fetch(q);
    }, delay);
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (e) => this.onKeydown(e));
    this.input.addEventListener('focus', () => {
      if (this.items.length && this.input.value.trim() === this.query) this.open();
    });
    this.input.addEventListener('blur', () => this.close());
    // Keep the focus in the input while a suggestion is clicked, so blur does not close the
    // list before the click lands.
    this.listbox.addEventListener('mousedown', (e) => e.preventDefault());
    this.listbox.addEventListener('click', (e) => {
      const li = e.target.closest('[role=option]');
      if (li) this.pick(Number(li.dataset.index));
    });
  }

  /** Shows an entity's name in the box without searching. */
  setValue(entity) {
    this.search.cancel();
    this.abort();
    this.input.value = entity ? entity.name : '';
    this.query = this.input.value;
    this.items = [];
    this.close();
  }

  onInput() {
    const q = this.input.value.trim();
    if (!q) {
      this.search.cancel();
      this.abort();
      this.items = [];
      this.query = '';
      this.close();
      return;
    }
    this.search(q);
  }

  abort() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  async fetch(q) {
    this.abort();
    const controller = new AbortController();
    this.controller = controller;
    const seq = ++this.seq;
    this.root.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(SEARCH, { ...this.variables(), q }, { signal: controller.signal });
      if (seq !== this.seq) return;
      this.query = q;
      this.items = data.search.map((hit) => hit.entity);
      this.render();
      if (this.pickFirst && this.items.length) this.pick(0);
    } catch (err) {
      if (err.name === 'AbortError' || seq !== this.seq) return;
      this.query = q;
      this.items = [];
      this.render(`Search failed: ${err.message}`);
    } finally {
      if (seq === this.seq) {
        this.pickFirst = false;
        this.root.removeAttribute('aria-busy');
      }
    }
  }

  render(error) {
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.listbox.replaceChildren(
      ...this.items.map((e, i) =>
        h('li', {
          id: `${this.listbox.id}-${i}`,
          role: 'option',
          className: 'combobox-option',
          'aria-selected': 'false',
          'data-index': String(i),
          'data-id': e.id,
        },
        h('span', { className: `kind-dot kind-${e.kind}`, 'aria-hidden': 'true' }),
        h('span', { className: 'option-name' }, e.name),
        h('span', { className: 'option-kind' }, kindLabel(e.kind))),
      ),
    );
    const msg = error || (this.items.length ? '' : `Nothing matches “${this.query}”.`);
    this.message.textContent = msg;
    this.message.classList.toggle('is-error', Boolean(error));
    this.live.textContent = msg || `${this.items.length} suggestion${this.items.length === 1 ? '' : 's'}. Use the arrow keys to choose.`;
    if (document.activeElement === this.input) this.open();
  }

  open() {
    const hasItems = this.items.length > 0;
    this.listbox.hidden = !hasItems;
    this.message.hidden = !this.message.textContent;
    this.input.setAttribute('aria-expanded', String(hasItems));
  }

  close() {
    this.listbox.hidden = true;
    this.message.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.setActive(-1);
  }

  isOpen() {
    return !this.listbox.hidden;
  }

  setActive(i) {
    const options = this.listbox.children;
    if (this.active >= 0 && options[this.active]) options[this.active].setAttribute('aria-selected', 'false');
    this.active = i;
    if (i >= 0 && options[i]) {
      options[i].setAttribute('aria-selected', 'true');
      this.input.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  onKeydown(e) {
    const n = this.items.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!n) return;
        e.preventDefault();
        if (!this.isOpen()) {
          this.open();
          this.setActive(e.key === 'ArrowDown' ? 0 : n - 1);
          return;
        }
        const step = e.key === 'ArrowDown' ? 1 : -1;
        this.setActive(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
        return;
      }
      case 'Enter': {
        // Enter picks the highlighted suggestion, or the best one when none is highlighted
        // and the suggestions are for what is typed now.
        const q = this.input.value.trim();
        if (!q) return;
        e.preventDefault();
        if (q !== this.query) {
          // Typed faster than the suggestions came: search now and take the best match.
          this.search.cancel();
          this.pickFirst = true;
          this.fetch(q);
          return;
        }
        if (!n) return;
        this.pick(this.active >= 0 ? this.active : 0);
        return;
      }
      case 'Escape':
        if (this.isOpen() || !this.message.hidden) {
          e.preventDefault();
          this.close();
        } else if (this.input.value) {
          e.preventDefault();
          this.input.value = '';
          this.onInput();
        }
        return;
      default:
    }
  }

  pick(i) {
    const entity = this.items[i];
    if (!entity) return;
    this.input.value = entity.name;
    this.query = entity.name;
    this.close();
    this.onSelect(entity);
  }
}
