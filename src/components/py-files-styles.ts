// The styles of <py-files> (theme custom properties with light defaults).
import { css } from 'lit';

export const filesStyles = css`
    :host { display: block; font: 13px system-ui, sans-serif; color: var(--pyloom-text-color, #1d2330); }
    .bar { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 6px; }
    button, label.button { font: 12px system-ui, sans-serif; padding: 2px 6px; border: 1px solid var(--pyloom-control-border, #8c93a3); border-radius: 4px; background: var(--pyloom-control-bg, #fff); color: var(--pyloom-text-color, #1d2330); cursor: pointer; }
    label.button:focus-within { outline: 2px solid var(--pyloom-focus, #2f6fde); }
    button:disabled { opacity: 0.5; cursor: default; }
    .hidden-input { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    nav { margin: 4px 0; word-break: break-all; }
    nav button { border: none; background: none; color: var(--pyloom-link-color, #0550ae); text-decoration: underline; padding: 0 2px; }
    ul { list-style: none; margin: 0; padding: 0; min-height: 3rem; border: 2px dashed transparent; border-radius: 4px; }
    ul.dragging { border-color: var(--pyloom-accent, #2f6fde); background: var(--pyloom-selected-bg, #f0f5ff); }
    li { display: flex; align-items: center; gap: 4px; padding: 2px 0; border-bottom: 1px solid var(--pyloom-border, #f0f1f4); }
    li .name { flex: 1; min-width: 0; text-align: left; border: none; background: none; padding: 0; color: var(--pyloom-link-color, #0550ae); word-break: break-all; }
    li .name:focus { outline: 2px solid var(--pyloom-focus, #2f6fde); }
    li .size { color: var(--pyloom-muted, #545b6b); font-size: 11px; white-space: nowrap; }
    li .actions button { padding: 0 4px; font-size: 11px; }
    .empty { color: var(--pyloom-muted, #545b6b); padding: 6px 0; }
    .message { margin: 4px 0; padding: 4px 6px; border-radius: 4px; background: var(--pyloom-error-background, #fdecea); color: var(--pyloom-error-color, #7f1d1d); }
    .message.info { background: var(--pyloom-selected-bg, #eef4ff); color: var(--pyloom-text-color, #1d3a7a); }
    .usage { color: var(--pyloom-muted, #545b6b); font-size: 12px; margin-top: 6px; }
    .preview { margin-top: 6px; border-top: 1px solid var(--pyloom-border, #e3e5ea); padding-top: 4px; }
    .preview pre { max-height: 20rem; overflow: auto; font-size: 12px; background: var(--pyloom-panel-bg, #f6f8fa); padding: 4px; white-space: pre-wrap; }
    .preview img { max-width: 100%; }
`;
