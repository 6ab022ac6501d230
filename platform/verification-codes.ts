import { createHmac } from 'node:crypto';

/**
 * Verification codes are never stored, in PostgreSQL or in workflow history.
 *
 * - The code for the n-th email of a signup is derived inside the activity as
 *   HMAC(secret, "<workflowId>/<n>") mod 10^6: unpredictable without the server secret, and the
 *   same on an activity retry, so a retry after the email went out cannot leave the user holding
 *   a code the workflow does not expect.
 * - The workflow only keeps HMAC(secret', "<accountId>:<code>"); the API hashes what the user
 *   types the same way and the workflow compares hashes. A history dump does not reveal the code
 *   (a plain SHA-256 of a 6-digit code could be brute-forced in milliseconds; an HMAC cannot
 *   without the secret).
 */
function subkey(secret: string, label: string): Buffer {
  return createHmac('sha256', secret).update(`limelight/${label}`).digest();
}

export function deriveVerificationCode(secret: string, workflowId: string, sequence: number): string {
  const mac = createHmac('sha256', subkey(secret, 'verification-code')).update(`${workflowId}/${sequence}`).digest();
  // 48 bits mod 10^6: the bias is below 10^-8.
  return String(mac.readUIntBE(0, 6) % 1_000_000).padStart(6, '0');
}

export function hashVerificationCode(secret: string, accountId: string, code: string): string {
  return createHmac('sha256', subkey(secret, 'verification-code-hash')).update(`${accountId}:${code}`).digest('hex');
}
