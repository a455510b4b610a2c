// The queue and status bookkeeping both runtimes share (src/runtime/jobs.ts), without a kernel.
import { describe, expect, test } from 'vitest';
import { JobQueue, type OutputDetail, type StatusDetail } from '../../src/runtime/jobs';

function queueWithLog() {
  const target = new EventTarget();
  const statuses: StatusDetail[] = [];
  const outputs: OutputDetail[] = [];
  target.addEventListener('status', (event) => statuses.push((event as CustomEvent<StatusDetail>).detail));
  target.addEventListener('output', (event) => outputs.push((event as CustomEvent<OutputDetail>).detail));
  return { jobs: new JobQueue<string>(target), statuses, outputs };
}

describe('JobQueue', () => {
  test('runs jobs one at a time in submission order, busy while one runs', async () => {
    const { jobs, statuses } = queueWithLog();
    const first = jobs.add('a', {});
    const second = jobs.add('b', {});
    expect(jobs.queued).toBe(2);
    const a = jobs.next();
    expect(a?.work).toBe('a');
    expect(jobs.next()).toBeUndefined(); // one at a time
    expect(statuses.at(-1)).toEqual({ status: 'busy' });
    expect(jobs.finish(a!, { status: 'ok', executionCount: 1 })).toBe(true);
    const b = jobs.next();
    expect(b?.work).toBe('b');
    expect(b!.id).toBeGreaterThan(a!.id);
    jobs.finish(b!, { status: 'error', executionCount: 2 });
    await expect(first).resolves.toEqual({ status: 'ok', executionCount: 1, outputs: [] });
    await expect(second).resolves.toMatchObject({ status: 'error', executionCount: 2 });
  });

  test('onStart is called when a job becomes the running one, not when it is queued', () => {
    const { jobs } = queueWithLog();
    const started: string[] = [];
    void jobs.add('a', { onStart: () => started.push('a') });
    void jobs.add('b', { onStart: () => started.push('b') });
    expect(started).toEqual([]);
    const a = jobs.next()!;
    expect(started).toEqual(['a']);
    jobs.finish(a, { status: 'ok', executionCount: 1 });
    expect(started).toEqual(['a']);
    jobs.next();
    expect(started).toEqual(['a', 'b']);
  });

  test('an output reaches the running job and its onOutput; a late one is only dispatched', async () => {
    const { jobs, outputs } = queueWithLog();
    const seen: number[] = [];
    const reply = jobs.add('print(1)', { onOutput: (_event, list) => seen.push(list.length) });
    const job = jobs.next()!;
    jobs.output(job.id, { output_type: 'stream', name: 'stdout', text: '1\n' });
    jobs.output(job.id, { output_type: 'stream', name: 'stderr', text: 'w\n' });
    jobs.finish(job, { status: 'ok', executionCount: 1 });
    jobs.output(job.id, { output_type: 'stream', name: 'stdout', text: 'late\n' });
    expect((await reply).outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '1\n' },
      { output_type: 'stream', name: 'stderr', text: 'w\n' },
    ]);
    expect(seen).toEqual([1, 2]);
    expect(outputs.map((o) => o.executionId)).toEqual([job.id, job.id, job.id]);
  });

  test('abortAll ends running and queued jobs as aborted with their outputs; a stale finish is refused', async () => {
    const { jobs } = queueWithLog();
    const running = jobs.add('a', {});
    const waiting = jobs.add('b', {});
    const job = jobs.next()!;
    jobs.output(job.id, { output_type: 'stream', name: 'stdout', text: 'partial' });
    jobs.abortAll();
    expect(jobs.finish(job, { status: 'ok', executionCount: 3 })).toBe(false);
    expect(jobs.fail(job, new Error('x'))).toBe(false);
    await expect(running).resolves.toEqual({
      status: 'aborted',
      executionCount: null,
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'partial' }],
    });
    await expect(waiting).resolves.toMatchObject({ status: 'aborted' });
    expect(jobs.queued).toBe(0);
    expect(jobs.running).toBeUndefined();
  });

  test('rejectAll rejects running and queued jobs with the error; status keeps its reason', async () => {
    const { jobs, statuses } = queueWithLog();
    const running = jobs.add('a', {});
    const waiting = jobs.add('b', {});
    jobs.next();
    jobs.rejectAll(new Error('the worker died'));
    jobs.setStatus('dead', 'the worker died');
    await expect(running).rejects.toThrow('the worker died');
    await expect(waiting).rejects.toThrow('the worker died');
    expect(jobs.status).toBe('dead');
    expect(jobs.reason).toBe('the worker died');
    expect(statuses.at(-1)).toEqual({ status: 'dead', reason: 'the worker died' });
    jobs.setStatus('starting'); // no new reason: the last one is kept
    expect(jobs.reason).toBe('the worker died');
  });

  test('settlesWithin: true once the job is answered, false when the grace period ends first', async () => {
    const { jobs } = queueWithLog();
    void jobs.add('a', {});
    const job = jobs.next()!;
    const answered = jobs.settlesWithin(job, 60_000);
    jobs.fail(job, new Error('KeyboardInterrupt'));
    await expect(answered).resolves.toBe(true);
    void jobs.add('b', {});
    const stuck = jobs.next()!;
    await expect(jobs.settlesWithin(stuck, 1)).resolves.toBe(false);
  });
});
