import { recordThenStart } from './record-then-start';

describe('recordThenStart', () => {
  it('returns the record once the workflow started', async () => {
    const calls: string[] = [];
    const record = await recordThenStart({
      record: async () => (calls.push('record'), { id: 'r1' }),
      start: async (r) => calls.push(`start ${r.id}`),
      undo: async () => calls.push('undo'),
    });
    expect(record).toEqual({ id: 'r1' });
    expect(calls).toEqual(['record', 'start r1']);
  });

  it('removes the record and rethrows when the start fails', async () => {
    const calls: string[] = [];
    const failure = new Error('temporal unavailable');
    await expect(
      recordThenStart({
        record: async () => (calls.push('record'), 'r2'),
        start: async () => {
          throw failure;
        },
        undo: async (r) => calls.push(`undo ${r}`),
      }),
    ).rejects.toBe(failure);
    expect(calls).toEqual(['record', 'undo r2']);
  });

  it('writes nothing and starts nothing when the record cannot be written', async () => {
    const start = jest.fn();
    await expect(recordThenStart({ record: () => Promise.reject(new Error('duplicate')), start, undo: jest.fn() })).rejects.toThrow('duplicate');
    expect(start).not.toHaveBeenCalled();
  });
});
