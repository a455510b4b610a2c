// <py-status>: the runtime's state for people — starting / idle / busy / dead, where a remote
// runtime runs, a byte progress bar while Pyodide or packages download, and the runtime's last error.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DownloadProgress, Progress } from '../protocol';
import type { AnyRuntime, ErrorDetail, RuntimeStatus, StatusDetail } from '../runtime/runtime';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export class PyStatus extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      font: 13px system-ui, sans-serif;
      color: var(--pyloom-text-color, #3b4252);
    }
    .state::before {
      content: '';
      display: inline-block;
      width: 9px;
      height: 9px;
      border-radius: 50%;
      margin-right: 6px;
      background: var(--dot, #999);
      vertical-align: 0;
    }
    .state[data-status='idle'] {
      --dot: #2e9d57;
    }
    .state[data-status='busy'] {
      --dot: #d98b00;
    }
    .state[data-status='starting'] {
      --dot: #5b8def;
    }
    .state[data-status='dead'] {
      --dot: #c62828;
      color: var(--pyloom-error-color, #a31515);
    }
    .where {
      color: var(--pyloom-muted, #5a6275);
    }
    progress {
      width: 12rem;
      height: 0.7rem;
    }
    .error {
      color: var(--pyloom-error-color, #a31515);
    }
    .error button {
      font: inherit;
      border: none;
      background: none;
      color: inherit;
      text-decoration: underline;
      cursor: pointer;
    }
  `;

  @property({ attribute: false }) runtime: AnyRuntime | undefined;
  @state() status: RuntimeStatus = 'starting';
  @state() reason: string | undefined;
  @state() boot: { message: string; step: number; steps: number } | undefined;
  @state() download: DownloadProgress | undefined;
  @state() lastError: string | undefined;
  #listening: AnyRuntime | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('runtime') || this.runtime === this.#listening) return;
    const old = this.#listening;
    old?.removeEventListener('status', this.#onStatus);
    old?.removeEventListener('progress', this.#onProgress);
    old?.removeEventListener('error', this.#onError);
    this.#listening = this.runtime;
    this.runtime?.addEventListener('status', this.#onStatus);
    this.runtime?.addEventListener('progress', this.#onProgress);
    this.runtime?.addEventListener('error', this.#onError);
    this.status = this.runtime?.status ?? 'starting';
    this.reason = this.runtime?.reason;
  }

  override render() {
    const label =
      this.status === 'dead'
        ? `dead: ${this.reason ?? 'stopped'}`
        : this.status === 'starting' && this.boot
          ? `starting: ${this.boot.message}`
          : this.status;
    const download = this.download;
    const bootStep = this.status === 'starting' && this.boot && !download;
    return html`
      <span class="state" data-status=${this.status} role="status" aria-live="polite">Python ${label}</span>
      ${this.runtime && 'where' in this.runtime ? html`<span class="where" part="where">on ${this.runtime.where}</span>` : nothing}
      ${
        download
          ? html`<label class="download"
            >${download.file}: ${megabytes(download.overall.loaded)}${download.overall.total ? ` of ${megabytes(download.overall.total)}` : ''}
            (${download.overall.done}/${download.overall.files} files)
            ${
              download.overall.total
                ? html`<progress aria-label="Download progress" max=${download.overall.total} value=${download.overall.loaded}></progress>`
                : html`<progress aria-label="Download progress"></progress>`
            }</label
          >`
          : bootStep
            ? html`<progress aria-label="Start-up progress" max=${this.boot!.steps} .value=${this.boot!.step}></progress>`
            : nothing
      }
      ${
        this.lastError
          ? html`<span class="error" role="alert">Runtime error: ${this.lastError} <button type="button" @click=${() => (this.lastError = undefined)}>Dismiss</button></span>`
          : nothing
      }
    `;
  }

  #onStatus = (event: Event) => {
    const { status, reason } = (event as CustomEvent<StatusDetail>).detail;
    this.status = status;
    this.reason = reason;
    if (status !== 'starting') this.boot = undefined;
    if (status === 'dead' && reason) this.lastError = reason;
    if (status === 'idle') this.download = undefined;
  };

  #onProgress = (event: Event) => {
    const progress = (event as CustomEvent<Progress>).detail;
    if (progress.kind === 'boot') {
      this.boot = { message: progress.message, step: progress.step, steps: progress.steps };
      return;
    }
    if (progress.error) this.lastError = `download failed: ${progress.error}`;
    this.download = progress.overall.done === progress.overall.files ? undefined : progress;
  };

  #onError = (event: Event) => {
    this.lastError = (event as CustomEvent<ErrorDetail>).detail.message;
  };
}

if (!customElements.get('py-status')) customElements.define('py-status', PyStatus);

declare global {
  interface HTMLElementTagNameMap {
    'py-status': PyStatus;
  }
}
