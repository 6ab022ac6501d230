import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';
import { dataConverterFrom } from './codec';

type TemporalConfig = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_API_KEY' | 'TEMPORAL_DEV_PORT'> & { TEMPORAL_CODEC_KEYS?: string };

export function temporalAddress(config: TemporalConfig): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
}

/** Cert and key may be PEM text or a path to a PEM file. */
function pem(value: string | undefined): Buffer | undefined {
  if (!value) return undefined;
  return Buffer.from(value.includes('-----BEGIN') ? value : fs.readFileSync(value, 'utf8'));
}

function tls(config: TemporalConfig) {
  const crt = pem(config.TEMPORAL_TLS_CERT);
  const key = pem(config.TEMPORAL_TLS_KEY);
  const ca = pem(config.TEMPORAL_TLS_CA);
  if (crt && key) return { clientCertPair: { crt, key }, serverRootCACertificate: ca };
  if (ca || config.TEMPORAL_API_KEY) return { serverRootCACertificate: ca };
  return undefined;
}

export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({ address: temporalAddress(config), tls: tls(config), apiKey: config.TEMPORAL_API_KEY });
  // Payloads encrypted with TEMPORAL_CODEC_KEYS (platform/codec), the same codec as the workers'.
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFrom(config) });
}

export function connectWorkerConnection(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporalAddress(config), tls: tls(config), apiKey: config.TEMPORAL_API_KEY });
}

export async function isTemporalReachable(client: Client, timeoutMs = 2000): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () => client.connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
