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

  it('keeps, largest first, up to a third of the largest round and hands it out again', () => {
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
