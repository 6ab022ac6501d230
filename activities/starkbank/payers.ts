import { randomInt } from 'node:crypto';
import type { InvoiceRequest } from '../../providers/bank/port';

/** A source of integers in [min, max): crypto by default, seeded in tests. */
export type RandomInt = (min: number, max: number) => number;

function checkDigit(digits: number[]): number {
  const weightStart = digits.length + 1;
  const sum = digits.reduce((acc, d, i) => acc + d * (weightStart - i), 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** A valid CPF (11 digits, both check digits computed), formatted `000.000.000-00`. */
export function generateCpf(random: RandomInt = randomInt): string {
  let base: number[];
  do base = Array.from({ length: 9 }, () => random(0, 10));
  while (base.every((d) => d === base[0]));
  const d1 = checkDigit(base);
  const d2 = checkDigit([...base, d1]);
  const s = [...base, d1, d2].join('');
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
}

/** Whether a CPF (formatted or bare) has valid check digits. */
export function isValidCpf(cpf: string): boolean {
  const s = cpf.replace(/[.\-\s]/g, '');
  if (!/^\d{11}$/.test(s)) return false;
  const digits = [...s].map(Number);
  if (digits.every((d) => d === digits[0])) return false;
  return checkDigit(digits.slice(0, 9)) === digits[9] && checkDigit(digits.slice(0, 10)) === digits[10];
}

const FIRST = ['Ana', 'João', 'Maria', 'Pedro', 'Juliana', 'Lucas', 'Fernanda', 'Rafael', 'Camila', 'Gustavo', 'Beatriz', 'Thiago', 'Larissa', 'Bruno', 'Patrícia', 'Felipe', 'Aline', 'Rodrigo', 'Letícia', 'Mateus'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa'];

export function generatePayerName(random: RandomInt = randomInt): string {
  return `${FIRST[random(0, FIRST.length)]} ${LAST[random(0, LAST.length)]} ${LAST[random(0, LAST.length)]}`;
}

/**
 * The invoices of one schedule run: `min`–`max` of them, to generated payers, with random amounts
 * (R$ 10.00–1,000.00), due dates 1–7 days ahead and expirations of 1–30 days after due.
 */
export function generateInvoices(options: { min: number; max: number; tags: string[]; now?: Date; random?: RandomInt }): InvoiceRequest[] {
  const random = options.random ?? randomInt;
  const now = options.now ?? new Date();
  const count = random(options.min, options.max + 1);
  return Array.from({ length: count }, () => ({
    amount: random(1_000, 100_001),
    name: generatePayerName(random),
    taxId: generateCpf(random),
    due: new Date(now.getTime() + random(1, 8) * 86_400_000).toISOString(),
    expiration: random(1, 31) * 86_400,
    tags: options.tags,
  }));
}
