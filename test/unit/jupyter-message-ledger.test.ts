// The counters in ipykernel's msg_ids ("<session>_<pid>_<n>") tell which messages a drop lost.
import { describe, expect, test } from 'vitest';
import { MessageLedger } from '../../src/runtime/jupyter/message-ledger';

const S = 'a1b2c3d4-0000-4000-8000-000000000000';
const id = (n: number, pid = 4242) => `${S}_${pid}_${n}`;

describe('MessageLedger', () => {
  test('every counter from the drop watermark to the cell’s last message seen: complete; one missing: not', () => {
    const ledger = new MessageLedger();
    ledger.record(id(1), S, 'shell'); // kernel_info_reply makes this process the kernel's
    for (const n of [2, 3, 4]) ledger.record(id(n), S, 'iopub');
    const from = ledger.watermark();
    expect(from).toBe(5);
    for (const n of [6, 7]) ledger.record(id(n), S, n === 6 ? 'shell' : 'iopub');
    expect(ledger.complete(from!, 7)).toBe(false);
    ledger.record(id(5), S, 'iopub');
    expect(ledger.complete(from!, 7)).toBe(true);
    expect(ledger.counterOf(id(7), S)).toBe(7);
  });

  test("a new kernel process (a shell reply from another pid) counts afresh; the server's own IOPub messages are not the kernel's", () => {
    const ledger = new MessageLedger();
    ledger.record(id(10), S, 'shell');
    ledger.record(`other-session_77_3`, 'other-session', 'iopub');
    expect(ledger.watermark()).toBeUndefined();
    ledger.record(id(0, 5151), S, 'shell');
    expect(ledger.counterOf(id(10), S)).toBeUndefined();
    ledger.record(id(1, 5151), S, 'iopub');
    expect(ledger.watermark()).toBe(2);
  });

  test('a kernel whose msg_ids carry no counter (uuid ids): nothing can be shown complete', () => {
    const ledger = new MessageLedger();
    ledger.record('9f8e7d6c-5b4a-3f2e-1d0c-ba9876543210', 'kernel-session', 'shell');
    expect(ledger.watermark()).toBeUndefined();
    expect(ledger.complete(0, 0)).toBe(false);
  });
});
