import { cpuMeter, cpuSeconds, pidsMatching } from './cpu';

describe('CPU accounting from /proc', () => {
  it('counts the CPU this process burns, and nothing for a pid that does not exist', () => {
    const meter = cpuMeter({ self: () => [process.pid], none: () => [] });
    meter.start();
    const until = Date.now() + 150;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const used = meter.stop();
    expect(x).toBeGreaterThan(0);
    expect(used.self).toBeGreaterThanOrEqual(0.05);
    expect(used.none).toBe(0);
    expect(cpuSeconds(2 ** 22 + 1)).toBe(0);
  });

  it('finds processes by their command line', () => {
    expect(pidsMatching(/jest|node/)).toContain(process.pid);
  });
});
