import { generateCpf, generateInvoices, isValidCpf } from './payers';

/** A seeded generator, so the properties hold for a known sequence too. */
function seeded(seed: number) {
  let s = seed;
  return (min: number, max: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return min + (s % (max - min));
  };
}

describe('CPF', () => {
  it('accepts known valid CPFs and rejects wrong check digits', () => {
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('168.995.350-09')).toBe(true);
    expect(isValidCpf('529.982.247-26')).toBe(false);
    expect(isValidCpf('529.982.247-15')).toBe(false);
    expect(isValidCpf('111.111.111-11')).toBe(false);
    expect(isValidCpf('1234567890')).toBe(false);
  });

  it('generates only valid, formatted CPFs', () => {
    const random = seeded(42);
    for (let i = 0; i < 2_000; i++) {
      const cpf = generateCpf(i % 2 ? random : undefined);
      expect(cpf).toMatch(/^\d{3}\.\d{3}\.\d{3}-\d{2}$/);
      expect(isValidCpf(cpf)).toBe(true);
    }
  });
});

describe('generateInvoices', () => {
  it('makes 8–12 invoices with valid payers, integer amounts and the run tag', () => {
    const counts = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const invoices = generateInvoices({ min: 8, max: 12, tags: ['run-x'] });
      counts.add(invoices.length);
      for (const inv of invoices) {
        expect(isValidCpf(inv.taxId)).toBe(true);
        expect(Number.isInteger(inv.amount) && inv.amount > 0).toBe(true);
        expect(inv.tags).toEqual(['run-x']);
        expect(inv.name.split(' ').length).toBe(3);
      }
    }
    expect([...counts].sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12]);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(8);
    expect(Math.max(...counts)).toBeLessThanOrEqual(12);
  });

  it('is deterministic for a seed', () => {
    const now = new Date('2026-11-22T00:00:00Z');
    expect(generateInvoices({ min: 8, max: 12, tags: [], now, random: seeded(7) })).toEqual(generateInvoices({ min: 8, max: 12, tags: [], now, random: seeded(7) }));
  });
});
