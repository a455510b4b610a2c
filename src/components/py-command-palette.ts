// <py-command-palette>: run any notebook command by name (Ctrl+Shift+C). A modal dialog with a
// filter box and a listbox of the registry's commands with their keys.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { displayKey } from './keymap';
import { shortcutOf, type NotebookCommand } from './notebook-commands';

/** Which registry command to run. */
export interface CommandDetail {
  id: string;
}

/**
 * @fires py-command - CustomEvent<{ id: string }>: run this command
 * @fires py-panel-close - the palette closed
 */
export class PyCommandPalette extends LitElement {
  static override styles = css`
    dialog {
      width: min(32rem, 92vw);
      padding: 8px;
      font: 13px/1.4 system-ui, sans-serif;
      color: var(--pyloom-text-color, #1d2330);
      background: var(--pyloom-page-bg, #fff);
      border: 1px solid var(--pyloom-border, #e3e5ea);
      border-radius: 6px;
      margin-top: 10vh;
    }
    input {
      width: 100%;
      box-sizing: border-box;
      font: 14px system-ui, sans-serif;
      padding: 5px 8px;
      border: 1px solid var(--pyloom-control-border, #8c93a3);
      border-radius: 4px;
      background: var(--pyloom-control-bg, #fff);
      color: inherit;
    }
    input:focus-visible {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
    }
    ul {
      list-style: none;
      margin: 6px 0 0;
      padding: 0;
      max-height: 50vh;
      overflow: auto;
    }
    li {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      padding: 4px 8px;
      border-radius: 3px;
      cursor: pointer;
    }
    li[aria-selected='true'] {
      background: var(--pyloom-selected-bg, #e6eefc);
      outline: 1px solid var(--pyloom-accent, #2f6fde);
    }
    kbd {
      font: 12px ui-monospace, monospace;
      color: var(--pyloom-muted, #545b6b);
    }
  `;

  @property({ attribute: false }) commands: readonly NotebookCommand[] = [];
  @property({ type: Boolean }) open: boolean = false;
  @state() filter: string = '';
  @state() active: number = 0;

  /** Commands whose label contains every word typed, in registry order. */
  get visible(): NotebookCommand[] {
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    return this.commands.filter((command) => words.every((word) => `${command.label} ${command.id}`.toLowerCase().includes(word)));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open')) return;
    const dialog = this.renderRoot.querySelector('dialog');
    if (this.open && !dialog?.open) {
      this.filter = '';
      this.active = 0;
      dialog?.showModal();
      this.renderRoot.querySelector('input')?.focus();
    } else if (!this.open && dialog?.open) dialog.close();
  }

  override render() {
    const visible = this.visible;
    const active = Math.min(this.active, visible.length - 1);
    return html`<dialog aria-label="Command palette" @close=${this.#closed}>
      <input role="combobox" aria-label="Command" aria-expanded="true" aria-controls="commands" aria-autocomplete="list"
        aria-activedescendant=${active >= 0 ? `command-${active}` : ''} placeholder="Type a command"
        .value=${this.filter} @input=${(e: Event) => ((this.filter = (e.target as HTMLInputElement).value), (this.active = 0))} @keydown=${this.#onKey} />
      <ul id="commands" role="listbox" aria-label="Commands">
        ${visible.map((command, i) => {
          const key = shortcutOf(command);
          return html`<li id=${`command-${i}`} role="option" aria-selected=${String(i === active)} @click=${() => this.#choose(command)}>
            <span>${command.label}</span>${key ? html`<kbd>${displayKey(key)}</kbd>` : ''}
          </li>`;
        })}
      </ul>
    </dialog>`;
  }

  #onKey = (event: KeyboardEvent) => {
    const count = this.visible.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count) this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + count) % count;
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const command = this.visible[Math.min(this.active, count - 1)];
      if (command) this.#choose(command);
    }
  };

  #choose(command: NotebookCommand): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.dispatchEvent(
      new CustomEvent('py-command', { detail: { id: command.id } satisfies CommandDetail, bubbles: true, composed: true }),
    );
  }

  #closed = () => {
    this.dispatchEvent(new CustomEvent('py-panel-close', { bubbles: true, composed: true }));
  };
}

if (!customElements.get('py-command-palette')) customElements.define('py-command-palette', PyCommandPalette);

declare global {
  interface HTMLElementTagNameMap {
    'py-command-palette': PyCommandPalette;
  }
  interface HTMLElementEventMap {
    'py-command': CustomEvent<CommandDetail>;
    'py-panel-close': CustomEvent<null>;
  }
}
