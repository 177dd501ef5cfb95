import { describe, expect, it } from 'vitest';
import { FirstSightings } from './first-sightings.js';

const token = (i: number) =>
  `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.${i.toString(36).padStart(86, 'x')}`;

describe('FirstSightings', () => {
  it('answers false the first time and true the next', () => {
    const seen = new FirstSightings(1024);
    expect(seen.seenBefore(token(1))).toBe(false);
    expect(seen.seenBefore(token(1))).toBe(true);
    expect(seen.seenBefore(token(2))).toBe(false);
    expect(seen.seenBefore(token(1))).toBe(true);
  });

  it('forgets old sightings as new ones take their slots, with a fixed table', () => {
    const seen = new FirstSightings(1024);
    const count = (from: number, to: number) => {
      let remembered = 0;
      for (let i = from; i < to; i++) if (seen.seenBefore(token(i))) remembered++;
      return remembered;
    };
    expect(count(0, 256)).toBe(0);
    // A quarter of the table: most keep their slot (about e^(-1/4) of them at worst).
    expect(count(0, 256)).toBeGreaterThan(200);
    // 20 000 later first sightings in 1 024 slots: almost nothing of the first ones is left.
    count(10_000, 30_000);
    expect(count(0, 256)).toBeLessThan(10);
  });

  it('handles tokens shorter than the fingerprint and the empty string', () => {
    const seen = new FirstSightings(16);
    expect(seen.seenBefore('')).toBe(false);
    expect(seen.seenBefore('')).toBe(true);
    expect(seen.seenBefore('a.b.c')).toBe(false);
    expect(seen.seenBefore('a.b.c')).toBe(true);
  });
});
