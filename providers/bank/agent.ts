import fs from 'node:fs';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** PEM text, or a path to a PEM file. */
export function readPem(value: string): string {
  return value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : fs.readFileSync(value, 'utf8');
}

/**
 * The Stark Bank SDK has no host option: it always calls https://{sandbox.}api.starkbank.com.
 * It does take an HTTPS agent (`starkbank.setHttpsAgent`), and an agent decides where its
 * connections go. This one sends every connection to `target` (host:port) while keeping the
 * original server name for SNI and certificate checks, so a local fake whose certificate names
 * api.starkbank.com (signed by `ca`) answers the real SDK.
 */
export function redirectingAgent(target: string, ca?: string): https.Agent {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target.replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
  if (!match) throw new Error(`STARKBANK_API_REDIRECT must be host:port, got "${target}"`);
  const [, host, port] = match;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca });
  (agent as unknown as { createConnection: (o: tls.ConnectionOptions, cb?: () => void) => Duplex }).createConnection = (options: tls.ConnectionOptions) =>
    tls.connect({ ...options, host, port: Number(port), servername: options.servername || (options.host as string), ca: ca ?? options.ca });
  return agent;
}
