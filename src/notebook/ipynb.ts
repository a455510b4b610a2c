// Reading and writing `.ipynb` files: decoding, nbformat 3 / 4.0-4.4 upgrade to 4.5, lenient repair
// reported as user-facing warnings, and serialization byte-identical to what Jupyter writes.
// The public surface; the work is in ipynb-read / ipynb-upgrade / ipynb-repair (+ ipynb-metadata) / ipynb-write.
export { NotebookFileError, parseNotebook, type ImportResult } from './ipynb-read';
export { serializeNotebook, toIpynb } from './ipynb-write';
