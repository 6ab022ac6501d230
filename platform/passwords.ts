import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N (CPU/memory, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the work an attacker can make us do per attempt (scrypt's cost grows with input length only slightly, but bodies are still capped). */
export const PASSWORD_MAX_LENGTH = 1024;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must cover 128·N·r bytes (plus slack), or Node refuses larger N.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * `scrypt$N$r$p$<salt b64>$<key b64>`: the parameters travel with the hash, so raising the cost
 * later keeps every stored hash verifiable.
 */
export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time comparison of the derived key; false for any malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((v) => Number.isInteger(v) && v > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const actual = await scryptAsync(password, salt, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash to verify against when the email is unknown, so that "no such account" costs as much
 * time as "wrong password" and the answer time does not reveal which emails exist.
 */
const dummyHashes = new Map<string, Promise<string>>();
export function dummyPasswordHash(params: ScryptParams): Promise<string> {
  const key = `${params.N}/${params.r}/${params.p}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword(randomBytes(24).toString('base64'), params);
    dummyHashes.set(key, hash);
  }
  return hash;
}

/** The password rule, as a message for the `password` field, or undefined when it passes. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return undefined;
}

export function scryptParamsOf(config: { PASSWORD_SCRYPT_N: number; PASSWORD_SCRYPT_R: number; PASSWORD_SCRYPT_P: number }): ScryptParams {
  return { N: config.PASSWORD_SCRYPT_N, r: config.PASSWORD_SCRYPT_R, p: config.PASSWORD_SCRYPT_P };
}
