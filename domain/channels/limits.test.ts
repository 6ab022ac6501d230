import { channelLimitFor } from './limits';

describe('channelLimitFor', () => {
  const limits = { normal: 5, premium: 10 };
  it.each([
    [['normal'], 5],
    [['premium'], 10],
    [['premium', 'admin'], undefined],
    [['admin'], undefined],
    [[], 5],
  ] as const)('%j → %p', (roles, expected) => {
    expect(channelLimitFor(roles, limits)).toBe(expected);
  });

  it('never gives premium members less than normal accounts', () => {
    expect(channelLimitFor(['premium'], { normal: 7, premium: 3 })).toBe(7);
  });
});
