// The Comlink boundary, checked at the type level (tsc runs this file in `npm run typecheck`):
// the worker's implementation is exactly the protocol's API, and the page's wrapped view of it
// promises the same replies. A change on one side that the other does not follow fails here.
import type { Remote } from 'comlink';
import { describe, expectTypeOf, test } from 'vitest';
import type { BootInfo, CompletionResult, ExecuteAck, Health, WorkerApi } from '../../src/protocol';
import { createKernel, type Kernel } from '../../worker/kernel';

describe('worker protocol', () => {
  test('the kernel implements WorkerApi', () => {
    expectTypeOf(createKernel).returns.toEqualTypeOf<Kernel>();
    // dispose() is the owner's (tests, the worker entry), not the page's.
    expectTypeOf<Omit<Kernel, 'dispose'>>().toEqualTypeOf<WorkerApi>();
    expectTypeOf(createKernel()).toHaveProperty('boot');
  });

  test('the page sees the same replies through Comlink', () => {
    type Page = Remote<WorkerApi>;
    // Compared whole ([A] extends [B]), so unions such as boolean or Health are not distributed.
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    type Reply<K extends keyof Page> = Page[K] extends (...args: never[]) => infer R ? Awaited<R> : never;
    expectTypeOf<Same<Reply<'boot'>, BootInfo>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'execute'>, ExecuteAck>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'interrupt'>, boolean>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'ping'>, Health>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'complete'>, CompletionResult>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'ping'>, ExecuteAck>>().toEqualTypeOf<false>();
  });
});
