/**
 * A local fake of the Stark Bank API for tests and the bench: a TLS server on loopback whose
 * self-signed certificate names api.starkbank.com and sandbox.api.starkbank.com, so the real SDK,
 * given an HTTPS agent that connects here (activities/bank/agent.ts), talks to it unchanged.
 *
 * It checks every request's Access-Id / Access-Time / Access-Signature (ECDSA secp256k1 over
 * `accessId:accessTime:body`) with the test project's public key, stores invoices and transfers,
 * serves /v2/public-key, refuses duplicate transfer externalIds like Stark Bank, can be told to
 * fail, and sends webhook events signed with its own "Stark Bank" key.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomInt, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface FakeInvoice {
  id: string;
  amount: number;
  fee: number;
  status: string;
  name: string;
  taxId: string;
  due: string;
  expiration: number;
  tags: string[];
  created: string;
}

export interface FakeTransfer {
  id: string;
  amount: number;
  fee: number;
  status: string;
  externalId: string;
  name: string;
  taxId: string;
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  accountType: string;
  tags: string[];
  created: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  status: number;
}

interface Fault {
  /** "POST /v2/transfer" */
  route: string;
  status: number;
  /** Do the work, then answer the error (the caller cannot know it succeeded). */
  commit: boolean;
  /** Hold the answer this long (for timeouts). */
  delayMs?: number;
}

let tlsMaterial: { key: string; cert: string } | undefined;

/** A self-signed certificate for the Stark Bank host names and 127.0.0.1, made once per process with the openssl CLI. */
function selfSignedCert(): { key: string; cert: string } {
  if (tlsMaterial) return tlsMaterial;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-starkbank-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
      '-subj', '/CN=fake-starkbank',
      '-addext', 'subjectAltName=DNS:api.starkbank.com,DNS:sandbox.api.starkbank.com,IP:127.0.0.1',
    ], { stdio: 'ignore' });
    tlsMaterial = { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
    return tlsMaterial;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const id16 = () => `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;

export class FakeStarkbank {
  readonly projectId = id16();
  /** The test project's key pair: the SDK signs with the private key, the fake verifies with the public one. */
  readonly projectPrivateKeyPem: string;
  private readonly projectPublicKey: KeyObject;
  /** "Stark Bank"'s own key: signs webhook events; its public key is served at /v2/public-key. */
  private readonly starkPrivateKey: KeyObject;
  readonly starkPublicKeyPem: string;
  readonly certPem: string;
  readonly invoices = new Map<string, FakeInvoice>();
  readonly transfers = new Map<string, FakeTransfer>();
  readonly requests: FakeRequest[] = [];
  /** Requests refused for a bad Access-* signature. */
  rejectedAuth = 0;
  private readonly faults: Fault[] = [];
  private server?: https.Server;
  port = 0;

  constructor() {
    const project = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    this.projectPrivateKeyPem = project.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    this.projectPublicKey = project.publicKey;
    const stark = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    this.starkPrivateKey = stark.privateKey;
    this.starkPublicKeyPem = stark.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.certPem = selfSignedCert().cert;
  }

  async start(): Promise<this> {
    const { key, cert } = selfSignedCert();
    this.server = https.createServer({ key, cert, keepAliveTimeout: 30_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8')).then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The env that points a stack's `starkbank` adapter (the real SDK) at this fake. */
  env(): Record<string, string> {
    return {
      STARKBANK_PROVIDER: 'starkbank',
      STARKBANK_ENVIRONMENT: 'sandbox',
      STARKBANK_USER_TYPE: 'project',
      STARKBANK_USER_ID: this.projectId,
      STARKBANK_PRIVATE_KEY: this.projectPrivateKeyPem,
      STARKBANK_API_REDIRECT: `127.0.0.1:${this.port}`,
      STARKBANK_API_CA: this.certPem,
    };
  }

  /** The next request on `route` ("POST /v2/transfer") fails with `status`; `commit` does the work first. */
  failNext(route: string, options: { status?: number; commit?: boolean; delayMs?: number; times?: number } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.faults.push({ route, status: options.status ?? 500, commit: options.commit ?? false, delayMs: options.delayMs });
  }

  count(route: string): number {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route).length;
  }

  /** Signs a webhook body as Stark Bank does: base64 DER ECDSA secp256k1 over SHA-256. */
  signBody(body: string): string {
    return sign('sha256', Buffer.from(body), this.starkPrivateKey).toString('base64');
  }

  /** An invoice event body (default log type `credited`); marks the stored invoice like Stark Bank would. */
  invoiceEvent(invoiceId: string, options: { type?: string; fee?: number; eventId?: string; amount?: number } = {}): { eventId: string; body: string } {
    const type = options.type ?? 'credited';
    const stored = this.invoices.get(invoiceId);
    const fee = options.fee ?? stored?.fee ?? 0;
    if (stored) Object.assign(stored, { status: type === 'credited' ? 'paid' : type, fee });
    const invoice = stored
      ? { ...stored, status: 'paid', fee }
      : { id: invoiceId, amount: options.amount ?? 10_000, fee, status: 'paid', name: 'Ana Silva', taxId: '529.982.247-25', tags: [] as string[] };
    if (options.amount !== undefined) invoice.amount = options.amount;
    const eventId = options.eventId ?? id16();
    const now = new Date().toISOString();
    const body = JSON.stringify({ event: { id: eventId, subscription: 'invoice', created: now, workspaceId: this.projectId, log: { id: id16(), type, created: now, errors: [], invoice } } });
    return { eventId, body };
  }

  /** Posts a signed webhook to `url`. */
  async sendWebhook(url: string, body: string, signature: string | null = this.signBody(body)): Promise<{ status: number; body: unknown }> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'digital-signature': signature }) }, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  /** Issues an invoice directly in the fake (as if our schedule had), for webhook tests. */
  addInvoice(amount: number, fee = 0): FakeInvoice {
    const inv: FakeInvoice = { id: id16(), amount, fee, status: 'created', name: 'Ana Silva', taxId: '529.982.247-25', due: new Date().toISOString(), expiration: 86_400, tags: [], created: new Date().toISOString() };
    this.invoices.set(inv.id, inv);
    return inv;
  }

  private async handle(method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string): Promise<{ status: number; body: unknown }> {
    const u = new URL(url, 'https://fake');
    const query = Object.fromEntries(u.searchParams.entries());
    const record = (status: number) => this.requests.push({ method, path: u.pathname, query, body, status });

    const accessId = String(headers['access-id'] ?? '');
    const accessTime = String(headers['access-time'] ?? '');
    const signature = String(headers['access-signature'] ?? '');
    if (!this.verifyAccess(accessId, accessTime, signature, body)) {
      this.rejectedAuth++;
      record(401);
      return { status: 401, body: { errors: [{ code: 'invalidSignature', message: 'The Access-Signature does not match the project public key.' }] } };
    }

    const route = `${method} ${u.pathname}`;
    const faultIndex = this.faults.findIndex((f) => f.route === route);
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && !fault.commit) {
      record(fault.status);
      return { status: fault.status, body: { errors: [{ code: 'internalError', message: 'injected failure' }] } };
    }
    const answer = this.route(route, query, body);
    if (fault) {
      record(fault.status);
      return { status: fault.status, body: { errors: [{ code: 'internalError', message: 'injected failure after commit' }] } };
    }
    record(answer.status);
    return answer;
  }

  private verifyAccess(accessId: string, accessTime: string, signature: string, body: string): boolean {
    if (accessId !== `project/${this.projectId}`) return false;
    if (!/^\d+$/.test(accessTime) || Math.abs(Date.now() / 1000 - Number(accessTime)) > 600) return false;
    try {
      return verify('sha256', Buffer.from(`${accessId}:${accessTime}:${body}`), this.projectPublicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }

  private route(route: string, query: Record<string, string>, body: string): { status: number; body: unknown } {
    const now = new Date().toISOString();
    const tagsFilter = query.tags ? query.tags.split(',').map((t) => t.toLowerCase()) : undefined;
    const matches = (tags: string[]) => !tagsFilter || tags.some((t) => tagsFilter.includes(t));
    switch (route) {
      case 'GET /v2/public-key':
        return { status: 200, body: { cursor: null, publicKeys: [{ content: this.starkPublicKeyPem, created: now }] } };
      case 'POST /v2/invoice': {
        const { invoices } = JSON.parse(body) as { invoices: Omit<FakeInvoice, 'id' | 'status' | 'fee' | 'created'>[] };
        if (!Array.isArray(invoices) || invoices.length === 0 || invoices.length > 100) return inputError('invalidJson', 'invoices: 1 to 100 expected');
        const created = invoices.map((i) => {
          const inv: FakeInvoice = { ...i, id: id16(), status: 'created', fee: 0, tags: (i.tags ?? []).map((t) => t.toLowerCase()), created: now };
          this.invoices.set(inv.id, inv);
          return inv;
        });
        return { status: 200, body: { message: 'Invoice(s) successfully created', invoices: created } };
      }
      case 'GET /v2/invoice':
        return { status: 200, body: { cursor: null, invoices: [...this.invoices.values()].filter((i) => matches(i.tags)) } };
      case 'POST /v2/transfer': {
        const { transfers } = JSON.parse(body) as { transfers: Omit<FakeTransfer, 'id' | 'status' | 'fee' | 'created'>[] };
        if (!Array.isArray(transfers) || transfers.length === 0 || transfers.length > 100) return inputError('invalidJson', 'transfers: 1 to 100 expected');
        const used = new Set([...this.transfers.values()].map((t) => t.externalId));
        const errors: { code: string; message: string }[] = [];
        transfers.forEach((t, i) => {
          if (!t.externalId) errors.push({ code: 'invalidExternalId', message: `Element ${i}: externalId is required by this fake` });
          else if (used.has(t.externalId)) errors.push({ code: 'invalidExternalId', message: `Element ${i}: externalId ${t.externalId} was already used` });
          used.add(t.externalId);
          if (!Number.isInteger(t.amount) || t.amount <= 0) errors.push({ code: 'invalidAmount', message: `Element ${i}: amount must be a positive integer` });
        });
        if (errors.length) return { status: 400, body: { errors } };
        const created = transfers.map((t) => {
          const tr: FakeTransfer = { ...t, id: id16(), status: 'created', fee: 0, tags: (t.tags ?? []).map((x) => x.toLowerCase()), created: now };
          this.transfers.set(tr.id, tr);
          return tr;
        });
        return { status: 200, body: { message: 'Transfer(s) successfully created', transfers: created } };
      }
      case 'GET /v2/transfer':
        return { status: 200, body: { cursor: null, transfers: [...this.transfers.values()].filter((t) => matches(t.tags)) } };
      default:
        return { status: 404, body: { errors: [{ code: 'routeNotFound', message: `${route} is not served by the fake` }] } };
    }
  }
}

function inputError(code: string, message: string) {
  return { status: 400, body: { errors: [{ code, message }] } };
}

/** For the SDK's key loading in tests: the fake's PEMs are plain node crypto exports. */
export function publicKeyOf(privateKeyPem: string): KeyObject {
  return createPublicKey(createPrivateKey(privateKeyPem));
}
