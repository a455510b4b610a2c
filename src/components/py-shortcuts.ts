// <py-shortcuts>: the keyboard-shortcut help panel (H), a modal dialog listing every binding of the
// command registry by mode, so it cannot drift from what the keys do.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { displayKey } from './keymap';
import type { NotebookCommand } from './notebook-commands';

/**
 * @fires py-panel-close - the dialog closed (Escape, Close)
 */
export class PyShortcuts extends LitElement {
  static override styles = css`
    dialog {
      max-width: min(46rem, 92vw);
      max-height: 85vh;
      font: 13px/1.4 system-ui, sans-serif;
      color: var(--pyloom-text-color, #1d2330);
      background: var(--pyloom-page-bg, #fff);
      border: 1px solid var(--pyloom-border, #e3e5ea);
      border-radius: 6px;
    }
    h2 {
      font-size: 16px;
      margin: 0 0 8px;
    }
    .columns {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
      gap: 12px;
    }
    h3 {
      font-size: 13px;
      margin: 0 0 4px;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: left;
      padding: 2px 6px;
      border-bottom: 1px solid var(--pyloom-border, #e3e5ea);
      font-weight: normal;
    }
    kbd {
      font: 12px ui-monospace, monospace;
      padding: 0 4px;
      border: 1px solid var(--pyloom-control-border, #8c93a3);
      border-radius: 3px;
      white-space: nowrap;
    }
    button {
      font: 13px system-ui, sans-serif;
      margin-top: 10px;
      padding: 3px 10px;
      border: 1px solid var(--pyloom-control-border, #8c93a3);
      border-radius: 4px;
      background: var(--pyloom-control-bg, #fff);
      color: inherit;
    }
    :focus-visible {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
    }
  `;

  @property({ attribute: false }) commands: readonly NotebookCommand[] = [];
  @property({ type: Boolean }) open: boolean = false;

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open')) return;
    const dialog = this.renderRoot.querySelector('dialog');
    if (this.open && !dialog?.open) dialog?.showModal();
    else if (!this.open && dialog?.open) dialog.close();
  }

  override render() {
    const table = (mode: 'command' | 'edit', title: string) => html`<section>
      <h3>${title}</h3>
      <table>
        <tbody>
          ${this.commands
            .filter((command) => command.keys?.[mode]?.length)
            .map(
              (command) => html`<tr>
                <td>${command.keys![mode]!.map((key, i) => html`${i ? ' or ' : ''}<kbd>${displayKey(key)}</kbd>`)}</td>
                <th scope="row">${command.label}</th>
              </tr>`,
            )}
        </tbody>
      </table>
    </section>`;
    return html`<dialog aria-labelledby="shortcuts-title" @close=${this.#closed}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <div class="columns">${table('command', 'Command mode (press Esc to get here)')}${table('edit', 'Edit mode (press Enter to get here)')}</div>
      <form method="dialog"><button>Close</button></form>
    </dialog>`;
  }

  #closed = () => {
    this.dispatchEvent(new CustomEvent('py-panel-close', { bubbles: true, composed: true }));
  };
}

if (!customElements.get('py-shortcuts')) customElements.define('py-shortcuts', PyShortcuts);

declare global {
  interface HTMLElementTagNameMap {
    'py-shortcuts': PyShortcuts;
  }
  interface HTMLElementEventMap {
    'py-panel-close': CustomEvent<null>;
  }
}
