import { describe, expect, it } from 'vitest';
import { GROUP_STATS, statsSpace } from './stored-stats';

describe('room for releases', () => {
  it('hands out NaN-filled room that does not overlap within a round', () => {
    const space = statsSpace();
    const first = space.take(3);
    first.fill(1);
    const second = space.take(2);
    expect(second.length).toBe(2 * GROUP_STATS);
    expect(second.every(Number.isNaN)).toBe(true);
    second.fill(2);
    expect(first.every((x) => x === 1)).toBe(true);
  });

  it('keeps the smallest buffer that covers a third of the largest round', () => {
    // One fiscal year: its buffer alone covers the budget of 2 groups.
    const oneYear = statsSpace();
    const only = oneYear.take(6);
    oneYear.reuse();
    expect(oneYear.take(6).buffer).toBe(only.buffer);
    // Buffers of 4 and 3 both cover the budget of 3 groups (a round of 9): the 3 is kept.
    const space = statsSpace();
    const [, three] = [4, 3, 2].map((groups) => space.take(groups));
    space.reuse();
    expect(space.take(3).buffer).toBe(three!.buffer);
    expect(space.take(1).buffer).not.toBe(three!.buffer);
  });

  it('else keeps, largest first, what fits in a third of the largest round', () => {
    const space = statsSpace();
    // A round of 30 groups: a third is 10, so the buffers of 9 and 1 are kept.
    const made = [9, 6, 5, 4, 3, 2, 1].map((groups) => space.take(groups).fill(7));
    space.reuse();
    const nine = made[0]!.buffer;
    const one = made[6]!.buffer;
    // Room is taken from the first kept buffer with enough of it, one after another.
    const a = space.take(4);
    const b = space.take(5);
    const c = space.take(1);
    expect(a.buffer).toBe(nine);
    expect(b.buffer).toBe(nine);
    expect(b.byteOffset).toBe(a.byteOffset + a.byteLength);
    expect(c.buffer).toBe(one);
    const d = space.take(1);
    expect([nine, one]).not.toContain(d.buffer);
    for (const room of [a, b, c, d]) expect(room.every(Number.isNaN)).toBe(true);
    // A smaller round keeps what the budget of the largest round allows.
    space.reuse();
    expect(space.take(9).buffer).toBe(nine);
    expect(space.take(1).buffer).toBe(one);
  });
});
