// The input() buffer protocol on its own: page answers reach the waiting side intact.
import { expect, test } from 'vitest';
import { answerInput, createInputBuffer, INPUT_CAPACITY, waitForInput } from '../../src/shared/input-buffer';

test('an answer given while the worker waits is read back whole (UTF-8)', () => {
  const buffer = createInputBuffer();
  // The page answers from inside `announce`, i.e. after the buffer was marked waiting.
  expect(
    waitForInput(
      buffer,
      () => answerInput(buffer, 'Grüße, 世界'),
      () => false,
    ),
  ).toBe('Grüße, 世界');
});

test('no answer is EOF, an interrupt is undefined, and nobody waiting takes no answer', () => {
  const buffer = createInputBuffer();
  expect(
    waitForInput(
      buffer,
      () => answerInput(buffer, undefined),
      () => false,
    ),
  ).toBe(false);
  expect(
    waitForInput(
      buffer,
      () => undefined,
      () => true,
    ),
  ).toBeUndefined();
  expect(answerInput(buffer, 'late')).toBe(false); // the wait ended: the answer is refused
});

test('an answer longer than the buffer is cut at its capacity', () => {
  const buffer = createInputBuffer();
  const answer = waitForInput(
    buffer,
    () => answerInput(buffer, 'x'.repeat(INPUT_CAPACITY + 10)),
    () => false,
  );
  expect(answer).toHaveLength(INPUT_CAPACITY);
});
