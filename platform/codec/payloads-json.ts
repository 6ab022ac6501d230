import type { Payload } from '@temporalio/common';

/**
 * Payloads as the Temporal UI and CLI send them to a remote codec (`POST <endpoint>/decode`):
 * proto3 JSON, `{payloads: [{metadata: {<key>: <base64>}, data: <base64>}]}`.
 */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export function fromJsonPayload(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

export function toJsonPayload(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}
