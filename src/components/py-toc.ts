// <py-toc>: the table of contents, from the Markdown headings of the cells; a heading jumps to its cell.
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { Cell } from '../notebook/model';
import { headingsOf } from '../notebook/toc';

/** The cell whose heading the user chose. */
export interface TocJumpDetail {
  id: string;
}

/**
 * @fires py-toc-jump - CustomEvent<{ id: string }>: the user chose the heading of cell `id`
 */
export class PyToc extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: 13px/1.4 system-ui, sans-serif;
      border-right: 1px solid var(--pyloom-border, #e3e5ea);
      padding-right: 8px;
    }
    h2 {
      font-size: 13px;
      margin: 4px 0 6px;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    button {
      display: block;
      width: 100%;
      text-align: left;
      font: inherit;
      color: var(--pyloom-link-color, #0550ae);
      background: none;
      border: 0;
      border-radius: 3px;
      padding: 2px 4px;
      cursor: pointer;
    }
    button:hover {
      background: var(--pyloom-hover-bg, #eef1f6);
    }
    button:focus-visible {
      outline: 2px solid var(--pyloom-focus, #2f6fde);
    }
    button[aria-current='true'] {
      font-weight: 600;
    }
    .empty {
      color: var(--pyloom-muted, #545b6b);
    }
  `;

  @property({ attribute: false }) cells: readonly Cell[] = [];
  @property({ attribute: false }) activeId: string | undefined;

  override render() {
    const headings = headingsOf(this.cells);
    return html`<nav aria-labelledby="toc-title">
      <h2 id="toc-title">Contents</h2>
      ${
        headings.length === 0
          ? html`<p class="empty">No Markdown headings yet.</p>`
          : html`<ol>
            ${headings.map(
              (h) => html`<li>
                <button type="button" style=${`padding-left: ${(h.level - 1) * 12 + 4}px`} aria-current=${String(h.cellId === this.activeId)}
                  @click=${() => this.dispatchEvent(new CustomEvent('py-toc-jump', { detail: { id: h.cellId } satisfies TocJumpDetail, bubbles: true, composed: true }))}>${h.text}</button>
              </li>`,
            )}
          </ol>`
      }
    </nav>`;
  }
}

if (!customElements.get('py-toc')) customElements.define('py-toc', PyToc);

declare global {
  interface HTMLElementTagNameMap {
    'py-toc': PyToc;
  }
  interface HTMLElementEventMap {
    'py-toc-jump': CustomEvent<TocJumpDetail>;
  }
}
