import { z } from 'zod';
import { duration, int } from './env';

/** Variables of the accounts capability: signup deadlines, password cost, login limits, token lifetimes. */
export const accountsSchema = z.object({
  /** How long an emailed verification code stays valid. */
  VERIFICATION_CODE_TTL: duration('15m'),
  /** Wrong codes accepted before the code is locked and a new one is needed. */
  VERIFICATION_MAX_ATTEMPTS: int(5),
  /** Minimum time between two codes for one signup (the first email counts). */
  VERIFICATION_RESEND_INTERVAL: duration('1m'),
  /** An account still unverified after this is deleted and its email is free again. */
  SIGNUP_DEADLINE: duration('24h'),
  /** A deactivated account is purged (deleted with its grants and tokens) after this. */
  DEACTIVATED_RETENTION: duration('30d'),
  /** Opaque refresh tokens live this long unless rotated or revoked first. */
  REFRESH_TOKEN_TTL: duration('30d'),
  /** scrypt cost (N must be a power of two); stored with each hash, so changing it keeps old hashes valid. */
  PASSWORD_SCRYPT_N: int(16384),
  PASSWORD_SCRYPT_R: int(8),
  PASSWORD_SCRYPT_P: int(1),
  /** Login attempts allowed per email without a success, and per client IP, within LOGIN_RATE_WINDOW. */
  LOGIN_MAX_ATTEMPTS_PER_EMAIL: int(5),
  LOGIN_MAX_ATTEMPTS_PER_IP: int(100),
  LOGIN_RATE_WINDOW: duration('15m'),
  /** Signups (POST /v1/accounts) accepted per client IP within SIGNUP_RATE_WINDOW; more get 429 before any password hash or email. */
  SIGNUP_MAX_PER_IP: int(10),
  /** Signups accepted per email domain (after the @) within SIGNUP_RATE_WINDOW; more get 429. */
  SIGNUP_MAX_PER_EMAIL_DOMAIN: int(100),
  /** The window of the signup limits (per IP and per email domain). */
  SIGNUP_RATE_WINDOW: duration('1h'),
});

export type AccountsConfig = z.infer<typeof accountsSchema>;
