import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createLocalStorage, InvalidStorageKeyError, type LocalStorage } from './local';

describe('LocalStorage.deletePrefix', () => {
  let dir: string;
  let storage: LocalStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storage-prefix-'));
    storage = createLocalStorage({ dir });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const put = (key: string) => storage.write(key, Readable.from([Buffer.from(key)]));

  it('deletes every object under the folder, all levels down, and nothing beside it', async () => {
    await put('contents/a/master.m3u8');
    await put('contents/a/720p/seg-1.ts');
    await put('contents/a/720p/seg-2.ts');
    await put('contents/ab/poster.jpg');
    await put('contents/b/poster.jpg');

    expect(await storage.deletePrefix('contents/a/')).toBe(3);
    expect(await storage.stat('contents/a/master.m3u8')).toBeNull();
    expect(await storage.stat('contents/a/720p/seg-1.ts')).toBeNull();
    // A sibling whose name merely starts with the same letters is another folder.
    expect(await storage.stat('contents/ab/poster.jpg')).toEqual({ key: 'contents/ab/poster.jpg', size: 'contents/ab/poster.jpg'.length });
    expect(await storage.stat('contents/b/poster.jpg')).not.toBeNull();
    expect((await readdir(join(dir, 'contents'))).sort()).toEqual(['ab', 'b']);
  });

  it('is idempotent and leaves an object named like the prefix alone', async () => {
    expect(await storage.deletePrefix('contents/missing')).toBe(0);
    await put('contents/file');
    expect(await storage.deletePrefix('contents/file')).toBe(0);
    expect(await storage.stat('contents/file')).not.toBeNull();
  });

  it('refuses prefixes that would reach outside the folder or the whole storage', async () => {
    await expect(storage.deletePrefix('')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.deletePrefix('/')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.deletePrefix('../x')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.deletePrefix('.tmp')).rejects.toThrow(InvalidStorageKeyError);
  });
});
