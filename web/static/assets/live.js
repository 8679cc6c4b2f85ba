// Live updates: while the explorer shows the graph as it is now, it follows the server's change
// feed for the ids on screen and redraws when one of them changes. The feed is a GraphQL
// subscription read over server-sent events; after a drop it reconnects and asks for what it
// missed with `since`, the last revision it has seen.

import { subscribe, CHANGES } from './api.js';

const RETRY_FIRST = 500; // ms before the first reconnection; doubles up to RETRY_MAX
const RETRY_MAX = 15000;
const STEADY = 10000; // ms a stream must last for the pause to start again from RETRY_FIRST

export class Live {
  /**
   * `onChange(event)` runs for every change notice ({ revision, at, operation, actor, ids });
   * `onStatus(state, message)` when the feed's state changes: 'off', 'connecting', 'live',
   * 'retrying', 'paused' or 'unavailable'.
   */
  constructor({ onChange, onStatus }) {
    this.onChange = onChange;
    this.onStatus = onStatus;
    this.key = '';
    this.ids = [];
    this.since = null; // the newest revision the page is known to reflect, or null
    this.controller = null;
    this.timer = 0;
    this.delay = RETRY_FIRST;
    this.state = 'off';
  }

  /** Notes that what is on screen reflects revision n (the feed resumes after it). */
  seen(n) {
    if (typeof n === 'number' && (this.since === null || n > this.since)) this.since = n;
  }

  /** Follows the changes of `ids` (the same set again changes nothing); none stops. */
  follow(ids) {
    const sorted = [...new Set(ids)].sort();
    const key = sorted.join(' ');
    if (!sorted.length) {
      this.stop();
      return;
    }
    if (key === this.key && this.state !== 'off' && this.state !== 'unavailable') {
      if (this.state === 'paused' && !document.hidden) this.connect();
      return;
    }
    this.stop();
    this.key = key;
    this.ids = sorted;
    if (document.hidden) this.setState('paused');
    else this.connect();
  }

  /**
   * Lets the connection go but keeps what to follow, for a page out of sight: browsers allow
   * a handful of connections per server, and each open explorer tab would hold one.
   */
  pause() {
    if (!this.key) return;
    clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.setState('paused');
  }

  /** Follows again what pause let go, from the last revision seen. */
  resume() {
    if (this.key && this.state === 'paused') this.connect();
  }

  /** Stops following. */
  stop() {
    clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.key = '';
    this.ids = [];
    this.delay = RETRY_FIRST;
    this.setState('off');
  }

  setState(state, message = '') {
    this.state = state;
    this.onStatus(state, message);
  }

  async connect() {
    const controller = new AbortController();
    this.controller = controller;
    this.setState(this.state === 'retrying' ? 'retrying' : 'connecting');
    const variables = { ids: this.ids, since: this.since };
    let opened = 0;
    try {
      await subscribe(CHANGES, variables, {
        signal: controller.signal,
        onOpen: () => {
          if (this.controller !== controller) return;
          opened = Date.now();
          this.setState('live');
        },
        onNext: (data) => {
          if (this.controller !== controller || !data.changes) return;
          const ev = data.changes;
          this.seen(ev.revision);
          this.onChange(ev);
        },
      });
      // The server ended the stream (a deadline, a restart): pick it up again, soon.
      if (this.controller === controller) this.again(opened);
    } catch (err) {
      if (this.controller !== controller || err.name === 'AbortError') return;
      if (err.unsupported || err.name === 'GraphQLError') {
        // Asking again would get the same answer: say so and stay put until the page moves.
        this.controller = null;
        this.setState('unavailable', err.message);
        return;
      }
      this.again(opened);
    }
  }

  /** Reconnects after a pause that grows while connections keep failing or ending early. */
  again(opened) {
    if (opened && Date.now() - opened > STEADY) this.delay = RETRY_FIRST;
    this.retry(this.delay);
    this.delay = Math.min(this.delay * 2, RETRY_MAX);
  }

  retry(ms) {
    this.controller = null;
    this.setState('retrying');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), ms);
  }
}
