import { describe, expect, it } from 'vitest';
import { LineBatch } from '../../../src/adapters/log/line-batch.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('LineBatch', () => {
  it('hands over the lines of one turn as one write, in order, at the end of that turn', async () => {
    const writes: string[] = [];
    const batch = new LineBatch((text) => writes.push(text));
    batch.write('a\n');
    batch.write('b\n');
    batch.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    batch.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('flush hands over at once, and the scheduled turn then has nothing to write', async () => {
    const writes: string[] = [];
    const batch = new LineBatch((text) => writes.push(text));
    batch.write('x\n');
    batch.flush();
    expect(writes).toEqual(['x\n']);
    await nextTurn();
    expect(writes).toEqual(['x\n']);
  });
});
