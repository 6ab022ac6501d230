import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { InvalidStorageKeyError, LocalStorage, assertValidKey } from '../../providers/storage/local';
import { createStorage } from '../../providers/storage';
import { configWith } from '../../platform/config';

describe('local storage', () => {
  let dir: string;
  let storage: LocalStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-storage-'));
    storage = new LocalStorage({ dir });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  it('writes a stream and reads it back whole or by inclusive byte range', async () => {
    const stored = await storage.write('a/b/c.bin', Readable.from([bytes.subarray(0, 300), bytes.subarray(300)]));
    expect(stored).toEqual({ key: 'a/b/c.bin', size: 1000 });
    expect(await buffer(storage.read('a/b/c.bin'))).toEqual(bytes);
    expect(await buffer(storage.read('a/b/c.bin', { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
    expect(await buffer(storage.read('a/b/c.bin', { start: 999, end: 999 }))).toEqual(bytes.subarray(999));
    expect(await buffer(storage.read('a/b/c.bin', { start: 0, end: 0 }))).toEqual(bytes.subarray(0, 1));
    expect(await storage.stat('a/b/c.bin')).toEqual({ key: 'a/b/c.bin', size: 1000 });
    expect(await storage.localPath('a/b/c.bin')).toBe(join(dir, 'a', 'b', 'c.bin'));
    expect(await readFile(join(dir, 'a', 'b', 'c.bin'))).toEqual(bytes);
    expect(() => storage.read('a/b/c.bin', { start: 5, end: 4 })).toThrow(RangeError);
  });

  it('overwrites atomically, and a failed write leaves neither the object nor a temporary file', async () => {
    await storage.write('x.bin', Readable.from([Buffer.from('first')]));
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.write('x.bin', failing)).rejects.toThrow('client went away');
    expect((await buffer(storage.read('x.bin'))).toString()).toBe('first');
    await expect(storage.write('y.bin', new Readable({ read() { this.destroy(new Error('boom')); } }))).rejects.toThrow('boom');
    expect(await storage.stat('y.bin')).toBeNull();
    expect(await readdir(join(dir, '.tmp'))).toEqual([]);
  });

  it('stats and deletes; missing keys are null / no-ops', async () => {
    expect(await storage.stat('nope.bin')).toBeNull();
    await storage.delete('nope.bin');
    await storage.write('d/e.bin', Readable.from([bytes]));
    await storage.delete('d/e.bin');
    expect(await storage.stat('d/e.bin')).toBeNull();
    expect(await storage.stat('d')).toBeNull(); // a folder is not an object
  });

  it('refuses keys that could leave the folder or reach its temporary files', async () => {
    for (const key of ['../outside-secret.txt', 'a/../../etc/passwd', '/etc/passwd', 'a//b', 'a/./b', '.tmp/x', 'a/.hidden', 'a\\..\\b', '', 'a/', 'a b', 'a/%2e%2e/b', 'x\0y']) {
      expect(() => assertValidKey(key)).toThrow(InvalidStorageKeyError);
      expect(() => storage.read(key)).toThrow(InvalidStorageKeyError);
      await expect(storage.stat(key)).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.delete(key)).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.localPath(key)).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.write(key, Readable.from([Buffer.from('x')]))).rejects.toThrow(InvalidStorageKeyError);
    }
    expect(() => assertValidKey('shoutouts/ord_123/video.mp4')).not.toThrow();
    expect(() => assertValidKey('uploads/a-b_c/1.2.webm')).not.toThrow();
  });

  it('streams a large object without holding it in memory', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent >= 64) return void this.push(null);
        sent++;
        this.push(chunk);
      },
    });
    const before = process.memoryUsage().arrayBuffers;
    const stored = await storage.write('big.bin', source);
    expect(stored.size).toBe(64 * 1024 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('is what createStorage builds from STORAGE_DIR', async () => {
    const made = createStorage(configWith({ STORAGE_DIR: dir }));
    await made.write('via-config.txt', Readable.from([Buffer.from('ok')]));
    expect(await storage.stat('via-config.txt')).toEqual({ key: 'via-config.txt', size: 2 });
  });
});
