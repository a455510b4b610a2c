// The styles of <py-notebook>: compact icon toolbar, panels beside the cells, drop markers. Colours
// come from the theme's custom properties (src/render/theme.ts).
import { css } from 'lit';

export const notebookStyles = css`
  :host {
    display: block;
    color: var(--pyloom-text-color, #1d2330);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
    align-items: center;
    position: sticky;
    top: 0;
    z-index: 2;
    padding: 4px 0;
    background: var(--pyloom-page-bg, #fff);
    border-bottom: 1px solid var(--pyloom-border, #e3e5ea);
    margin-bottom: 8px;
  }
  .toolbar .group {
    display: flex;
    gap: 1px;
    padding-right: 4px;
    margin-right: 4px;
    border-right: 1px solid var(--pyloom-border, #e3e5ea);
  }
  button,
  select {
    font: 13px system-ui, sans-serif;
    border: 1px solid transparent;
    border-radius: 4px;
    background: transparent;
    color: var(--pyloom-text-color, #1d2330);
    cursor: pointer;
  }
  select {
    padding: 2px 4px;
    border-color: var(--pyloom-control-border, #8c93a3);
    background: var(--pyloom-control-bg, #fff);
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    width: 28px;
    height: 26px;
    padding: 0;
  }
  .icon-button[aria-pressed='true'] {
    background: var(--pyloom-selected-bg, #e6eefc);
    border-color: var(--pyloom-accent, #2f6fde);
  }
  button:hover {
    background: var(--pyloom-hover-bg, #eef1f6);
  }
  button:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--pyloom-focus, #2f6fde);
    outline-offset: 1px;
  }
  .mode {
    margin-left: auto;
    font: 12px system-ui, sans-serif;
    color: var(--pyloom-muted, #545b6b);
  }
  .body {
    display: flex;
    gap: 12px;
    align-items: flex-start;
  }
  py-toc {
    position: sticky;
    top: 44px;
    flex: 0 0 14rem;
    max-height: calc(100vh - 60px);
    overflow: auto;
  }
  .cells {
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  /* JupyterLab's 'contentVisibility' windowing: cells off screen skip style, layout and paint (a
     400-cell notebook scrolls and re-selects without laying out every cell). The active cell is
     exempt: its completion popup and find marks must not be clipped by the containment. */
  py-cell:not([active]) {
    content-visibility: auto;
    contain-intrinsic-size: auto 90px;
  }
  py-cell[data-drop='before'] {
    box-shadow: 0 -3px 0 var(--pyloom-accent, #2f6fde);
  }
  py-cell[data-drop='after'] {
    box-shadow: 0 3px 0 var(--pyloom-accent, #2f6fde);
  }
  .add {
    display: inline-flex;
    gap: 4px;
    align-items: center;
    margin: 10px 0 0 5rem;
    padding: 3px 8px;
    border-color: var(--pyloom-control-border, #8c93a3);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
