// The parts of <py-files> that show a file or the storage: the view of a text file or an image,
// and the line with the workspace's size and the browser's usage and quota.
import { html, nothing } from 'lit';
import type { FileEntry, WorkspaceUsage } from '../protocol';
import { formatBytes } from '../workspace/files';

const TEXT = /\.(txt|csv|tsv|json|py|md|ipynb|js|ts|html|css|xml|yaml|yml|toml|ini|cfg|log|rst|sql|sh|r)$/i;
const IMAGE = /\.(png|jpe?g|gif|webp|svg|bmp|ico)$/i;
/** Bytes of a text file shown in the view; the rest is cut with a note. */
const VIEW_BYTES = 200_000;

export type Preview = { path: string; text: string; truncated: boolean } | { path: string; image: string } | undefined;

/** The view of `blob` (the file `entry`): an image, the first 200 kB of text, or undefined when it has none. */
export async function previewOf(entry: FileEntry, blob: Blob): Promise<Preview> {
  if (IMAGE.test(entry.name)) {
    const type = entry.name.toLowerCase().endsWith('.svg') ? 'image/svg+xml' : '';
    // An <img> never runs an SVG's scripts.
    return { path: entry.path, image: URL.createObjectURL(type ? new Blob([blob], { type }) : blob) };
  }
  if (TEXT.test(entry.name) || blob.size <= VIEW_BYTES) {
    return { path: entry.path, text: await blob.slice(0, VIEW_BYTES).text(), truncated: blob.size > VIEW_BYTES };
  }
  return undefined;
}

/** Release what a view holds (an image's object URL). */
export function closePreview(preview: Preview): void {
  if (preview && 'image' in preview) URL.revokeObjectURL(preview.image);
}

export function previewView(preview: Preview, close: () => void) {
  if (!preview) return nothing;
  return html`<section class="preview" aria-label="View of ${preview.path}">
    <div>${preview.path} <button type="button" @click=${close}>Close</button></div>
    ${
      'image' in preview
        ? html`<img src=${preview.image} alt=${preview.path} />`
        : html`<pre>${preview.text}</pre>${preview.truncated ? html`<div class="usage">(only the first ${formatBytes(VIEW_BYTES)} shown)</div>` : nothing}`
    }
  </section>`;
}

/** `persisted`: navigator.storage.persisted() (false: the browser may clear the files under pressure). */
export function usageLine(usage: WorkspaceUsage | undefined, persisted: boolean | undefined) {
  if (!usage) return nothing;
  return html`<div class="usage" role="status">
    Workspace ${formatBytes(usage.files)}${
      usage.usage !== null && usage.quota !== null
        ? html` · browser storage ${formatBytes(usage.usage)} of ${formatBytes(usage.quota)}`
        : nothing
    }${persisted === false && usage.store === 'opfs' ? html` · the browser may clear these files when disk space runs low` : nothing}${
      usage.store === 'memory' ? html` · kept in memory only (this browser has no persistent file storage)` : nothing
    }
  </div>`;
}
