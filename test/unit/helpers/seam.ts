// The Python → TypeScript seam, checked at run time: every WorkerEvent a test kernel emits must
// have a shape src/protocol.ts declares. Outputs are checked against the official nbformat v4.5
// schema (as a notebook stores them: `transient` is iopub-only); the other events against JSON
// schemas whose field lists are checked against the types (`satisfies Record<keyof T, …>`), so tsc
// fails when protocol.ts adds or drops a field and these do not follow.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import type { BootProgress, DownloadProgress, SnapshotState, WorkerEvent } from '../../../src/protocol';
import { SCHEMA_MISSING, SCHEMA_PATH } from '../../nbformat-schema';

const bootProgress = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'phase', 'message', 'step', 'steps'],
  properties: {
    kind: { type: 'string', const: 'boot' },
    phase: { type: 'string', enum: ['import-pyodide', 'load-pyodide', 'install-pyloom', 'start-shell', 'ready'] },
    message: { type: 'string' },
    step: { type: 'integer', minimum: 0 },
    steps: { type: 'integer', minimum: 1 },
    loaded: { type: 'number' },
    total: { type: 'number' },
  } satisfies Record<keyof BootProgress, object>,
};

const downloadProgress = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'executionId', 'url', 'file', 'loaded', 'total', 'done', 'overall'],
  properties: {
    kind: { type: 'string', const: 'download' },
    executionId: { type: ['integer', 'null'] },
    url: { type: 'string' },
    file: { type: 'string' },
    loaded: { type: 'number', minimum: 0 },
    total: { type: ['number', 'null'] },
    done: { type: 'boolean' },
    error: { type: 'string' },
    overall: {
      type: 'object',
      additionalProperties: false,
      required: ['loaded', 'total', 'files', 'done'],
      properties: {
        loaded: { type: 'number', minimum: 0 },
        total: { type: ['number', 'null'] },
        files: { type: 'integer', minimum: 0 },
        done: { type: 'integer', minimum: 0 },
      } satisfies Record<keyof DownloadProgress['overall'], object>,
    },
  } satisfies Record<keyof DownloadProgress, object>,
};

const snapshotState = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'snapshot'],
  properties: {
    type: { type: 'string', const: 'snapshot' },
    snapshot: { type: 'string', enum: ['taken', 'failed'] },
    reason: { type: 'string' },
  } satisfies Record<keyof (SnapshotState & { type: 'snapshot' }), object>,
};

const inputRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'executionId', 'prompt', 'password'],
  properties: {
    type: { type: 'string', const: 'input' },
    executionId: { type: 'integer' },
    prompt: { type: 'string' },
    password: { type: 'boolean' },
  } satisfies Record<keyof (WorkerEvent & { type: 'input' }), object>,
};

const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
const checks = {
  boot: ajv.compile(bootProgress),
  download: ajv.compile(downloadProgress),
  snapshot: ajv.compile(snapshotState),
  input: ajv.compile(inputRequest),
};

const nbformat = new AjvDraft04({ strict: false, allErrors: true });
const output = SCHEMA_PATH
  ? (nbformat.addSchema(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object, 'nbformat'),
    nbformat.compile({ $ref: 'nbformat#/definitions/output' }))
  : undefined;

/** Why nbformat checks are not made (the schema is absent), or undefined. */
export const SEAM_NBFORMAT_SKIPPED = output ? undefined : SCHEMA_MISSING;

function problems(
  validate: { (value: unknown): boolean; errors?: unknown },
  value: unknown,
  errorsText: (errors: never) => string,
): string | undefined {
  return validate(value) ? undefined : errorsText(validate.errors as never);
}

const exactKeys = (value: object, keys: string[]): string | undefined => {
  const extra = Object.keys(value).filter((k) => !keys.includes(k));
  return extra.length ? `unexpected fields ${extra.join(', ')}` : undefined;
};

/** What is wrong with this event's shape, or undefined when it is one src/protocol.ts declares. */
export function seamProblem(event: WorkerEvent): string | undefined {
  const text = (errors: never) => ajv.errorsText(errors);
  switch (event.type) {
    case 'progress':
      return event.progress.kind === 'boot' ? problems(checks.boot, event.progress, text) : problems(checks.download, event.progress, text);
    case 'input':
      return problems(checks.input, event, text);
    case 'snapshot':
      return problems(checks.snapshot, event, text);
    case 'output': {
      if (!Number.isInteger(event.executionId)) return `executionId ${String(event.executionId)} is not an integer`;
      const e = event.event;
      const nb = (stored: unknown) => (output ? problems(output, stored, (errors) => nbformat.errorsText(errors)) : undefined);
      switch (e.output_type) {
        case 'stream':
        case 'error':
          return nb(e);
        case 'display_data':
        case 'execute_result': {
          const { transient, ...stored } = e;
          if (transient !== undefined && (exactKeys(transient, ['display_id']) || typeof transient.display_id !== 'string')) {
            return `transient must be { display_id: string }, got ${JSON.stringify(transient)}`;
          }
          return nb(stored);
        }
        case 'update_display_data': {
          const { transient, output_type: _, ...bundle } = e;
          if (typeof transient?.display_id !== 'string')
            return `update_display_data needs transient.display_id, got ${JSON.stringify(transient)}`;
          return exactKeys(e, ['output_type', 'data', 'metadata', 'transient']) ?? nb({ output_type: 'display_data', ...bundle });
        }
        case 'clear_output':
          return exactKeys(e, ['output_type', 'wait']) ?? (typeof e.wait === 'boolean' ? undefined : 'clear_output.wait must be a boolean');
        default:
          return `unknown output_type in ${JSON.stringify(e).slice(0, 200)}`;
      }
    }
    default:
      return `unknown event ${JSON.stringify(event).slice(0, 200)}`;
  }
}

/** Every problem found so far, with the event it was found in (tests assert this stays empty). */
export const seamProblems: string[] = [];

/** Check one event; a problem is recorded, never thrown (a throw would land inside the kernel). */
export function checkSeam(event: WorkerEvent): void {
  const problem = seamProblem(event);
  if (problem) seamProblems.push(`${problem} in ${JSON.stringify(event).slice(0, 300)}`);
}
