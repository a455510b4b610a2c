// <py-find>: find and replace across the notebook's cells (Ctrl+F in command mode), with match
// count, case and regular-expression options, and find in text outputs (read-only: replace skips
// them). The search itself is src/notebook/find.ts.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { compileQuery, findMatches, replaceAll, replaceOne, replacementFor, type FindMatch } from '../notebook/find';
import type { NotebookSession } from '../notebook/session';

export interface FindShowDetail {
  match: FindMatch;
}

/** py-find-matches: after every update, what to mark (all matches, the current one). */
export interface FindMatchesDetail {
  matches: readonly FindMatch[];
  current: FindMatch | undefined;
}

/**
 * @fires py-find-show - CustomEvent<FindShowDetail>: show this match (select the cell, mark the text)
 * @fires py-find-matches - CustomEvent<FindMatchesDetail> after every update, to mark matches in outputs
 * @fires py-panel-close - the user closed the bar (Escape or Close)
 */
export class PyFind extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 8px;
      align-items: center;
      padding: 6px 8px;
      margin-bottom: 8px;
      border: 1px solid var(--pyloom-border, #e3e5ea);
      border-radius: 4px;
      background: var(--pyloom-panel-bg, #f7f8fa);
      font: 13px system-ui, sans-serif;
    }
    input[type='search'],
    input[type='text'] {
      font: 13px ui-monospace, monospace;
      padding: 3px 6px;
      width: 14rem;
      border: 1px solid var(--pyloom-control-border, #8c93a3);
      border-radius: 4px;
      background: var(--pyloom-control-bg, #fff);
      color: var(--pyloom-text-color, #1d2330);
    }
    button {
      font: 13px system-ui, sans-serif;
      padding: 2px 8px;
      border: 1px solid var(--pyloom-control-border, #8c93a3);
      border-radius: 4px;
      background: var(--pyloom-control-bg, #fff);
      color: var(--pyloom-text-color, #1d2330);
      cursor: pointer;
    }
    :focus-visible {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
      outline-offset: 1px;
    }
    .count {
      min-width: 6rem;
      color: var(--pyloom-muted, #545b6b);
    }
    .error {
      color: var(--pyloom-error-color, #b3261e);
    }
  `;

  @property({ attribute: false }) session: NotebookSession | undefined;
  @state() query: string = '';
  @state() replacement: string = '';
  @state() caseSensitive: boolean = false;
  @state() regex: boolean = false;
  /** Also search text outputs (JupyterLab's "search cell outputs" filter). */
  @state() outputs: boolean = true;
  /** Index of the shown match in the current list. */
  @state() current: number = 0;

  #listening: NotebookSession | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[type=search]')?.focus());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') && this.session !== this.#listening) {
      this.#listening?.removeEventListener('change', this.#onChange);
      this.#listening = this.session;
      this.session?.addEventListener('change', this.#onChange);
    }
  }

  /** The matches for the current query, or the reason the regular expression is invalid. */
  get results(): FindMatch[] | string {
    if (!this.query || !this.session) return [];
    const compiled = compileQuery(this.query, { caseSensitive: this.caseSensitive, regex: this.regex });
    return compiled.ok ? findMatches(this.session.cells, compiled.pattern, undefined, this.outputs) : compiled.error;
  }

  protected override updated(): void {
    const matches = this.results;
    const list = typeof matches === 'string' ? [] : matches;
    const detail: FindMatchesDetail = { matches: list, current: list[Math.min(this.current, list.length - 1)] };
    this.dispatchEvent(new CustomEvent('py-find-matches', { detail, bubbles: true, composed: true }));
  }

  override render() {
    const matches = this.results;
    const count = typeof matches === 'string' ? 0 : matches.length;
    const current = Math.min(this.current, Math.max(0, count - 1));
    const inOutputs = typeof matches === 'string' ? 0 : matches.filter((m) => m.output !== undefined).length;
    const summary =
      typeof matches === 'string'
        ? `Invalid: ${matches}`
        : !this.query
          ? ''
          : count === 0
            ? 'No matches'
            : `${current + 1} of ${count}${inOutputs ? ` (${inOutputs} in outputs)` : ''}`;
    return html`
      <input type="search" aria-label="Find" placeholder="Find" .value=${this.query} @input=${(e: Event) => this.#setQuery((e.target as HTMLInputElement).value)} @keydown=${this.#onKey} />
      <label><input type="checkbox" .checked=${this.caseSensitive} @change=${(e: Event) => this.#setOption('caseSensitive', (e.target as HTMLInputElement).checked)} /> Match case</label>
      <label><input type="checkbox" .checked=${this.regex} @change=${(e: Event) => this.#setOption('regex', (e.target as HTMLInputElement).checked)} /> Regular expression</label>
      <label title="Outputs are searched, never replaced"><input type="checkbox" .checked=${this.outputs} @change=${(e: Event) => this.#setOption('outputs', (e.target as HTMLInputElement).checked)} /> Search outputs</label>
      <span class="count ${typeof matches === 'string' ? 'error' : ''}" role="status" aria-live="polite">${summary}</span>
      <button type="button" @click=${() => this.step(-1)} ?disabled=${count === 0}>Previous</button>
      <button type="button" @click=${() => this.step(1)} ?disabled=${count === 0}>Next</button>
      <input type="text" aria-label="Replace with" placeholder="Replace with" .value=${this.replacement} @input=${(e: Event) => (this.replacement = (e.target as HTMLInputElement).value)} @keydown=${this.#onKey} />
      <button type="button" @click=${() => this.replaceCurrent()} ?disabled=${count === inOutputs}>Replace</button>
      <button type="button" @click=${() => this.replaceEvery()} ?disabled=${count === inOutputs}>Replace all</button>
      <button type="button" @click=${this.#close}>Close</button>
    `;
  }

  /** Show the next (+1) or previous (-1) match, wrapping around. */
  step(delta: -1 | 1): void {
    const matches = this.results;
    if (typeof matches === 'string' || matches.length === 0) return;
    this.current = (Math.min(this.current, matches.length - 1) + delta + matches.length) % matches.length;
    this.#show(matches[this.current]!);
  }

  /** Replace the current match, or the first source match after it when it is in an output (read-only). */
  replaceCurrent(): void {
    const matches = this.results;
    const compiled = compileQuery(this.query, { caseSensitive: this.caseSensitive, regex: this.regex });
    if (typeof matches === 'string' || !compiled.ok || !this.session) return;
    const start = Math.min(this.current, matches.length - 1);
    const order = [...matches.slice(start), ...matches.slice(0, start)];
    const match = order.find((m) => m.output === undefined);
    const cell = match && this.session.cell(match.cellId);
    if (!match || !cell) return;
    this.current = matches.indexOf(match);
    this.session.setSource(cell.id, replaceOne(cell.source, match, compiled.pattern, this.#replacement()));
    // The next match is now at the same index.
    const next = this.results;
    if (typeof next !== 'string' && next.length) this.#show(next[Math.min(this.current, next.length - 1)]!);
  }

  replaceEvery(): void {
    const compiled = compileQuery(this.query, { caseSensitive: this.caseSensitive, regex: this.regex });
    if (!compiled.ok || !this.session) return;
    for (const cell of this.session.cells) this.session.setSource(cell.id, replaceAll(cell.source, compiled.pattern, this.#replacement()));
  }

  #replacement(): string {
    return replacementFor(this.replacement, { caseSensitive: this.caseSensitive, regex: this.regex });
  }

  #setQuery(query: string): void {
    this.query = query;
    this.current = 0;
    const matches = this.results;
    if (typeof matches !== 'string' && matches[0]) this.#show(matches[0]);
  }

  #setOption(name: 'caseSensitive' | 'regex' | 'outputs', value: boolean): void {
    this[name] = value;
    this.current = 0;
  }

  #show(match: FindMatch): void {
    this.dispatchEvent(new CustomEvent<FindShowDetail>('py-find-show', { detail: { match }, bubbles: true, composed: true }));
  }

  #onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      if ((event.target as HTMLElement).getAttribute('aria-label') === 'Replace with') this.replaceCurrent();
      else this.step(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.#close();
    }
  };

  #close = () => {
    this.dispatchEvent(new CustomEvent('py-panel-close', { bubbles: true, composed: true }));
  };

  #onChange = () => this.requestUpdate();
}

if (!customElements.get('py-find')) customElements.define('py-find', PyFind);

declare global {
  interface HTMLElementTagNameMap {
    'py-find': PyFind;
  }
  interface HTMLElementEventMap {
    'py-find-show': CustomEvent<FindShowDetail>;
    'py-find-matches': CustomEvent<FindMatchesDetail>;
    'py-panel-close': CustomEvent<null>;
  }
}
