import { spawn } from 'node:child_process';
import { UnreadableVideoError } from './port';

/**
 * Runs ffmpeg / ffprobe directly (no wrapper): progress from ffmpeg's status lines, the process
 * killed when `signal` aborts, stdout handed over as a stream when asked.
 */
export interface RunOptions {
  signal?: AbortSignal;
  /** Each stderr line (status lines included). */
  onLine?: (line: string) => void;
  /** stdout chunks (raw PCM, JSON); otherwise stdout is collected and returned. */
  onStdout?: (chunk: Buffer) => void;
}

export class MediaToolError extends Error {
  constructor(message: string, readonly stderr: string, readonly killed: boolean) {
    super(message);
    this.name = 'MediaToolError';
  }
}

/** ffmpeg's words for "the input is the problem" (as opposed to the machine). */
const INPUT_PROBLEMS = /Invalid data found when processing input|moov atom not found|could not find codec parameters|does not contain any stream|Error while decoding|error reading header|Output file is empty|matches no streams|Cannot determine format of input|Invalid NAL unit|Decoder \(codec .*\) not found/i;

export function isInputProblem(error: unknown): boolean {
  return error instanceof MediaToolError && !error.killed && INPUT_PROBLEMS.test(error.stderr);
}

/** An input problem becomes UnreadableVideoError (the activity fails for good); anything else stays retryable. */
export function asUnreadable(error: unknown, what: string): unknown {
  if (isInputProblem(error)) return new UnreadableVideoError(`${what} could not be decoded: ${lastLine((error as MediaToolError).stderr)}`);
  return error;
}

export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => !/^Conversion failed!?$/.test(l)).pop() ?? '';
}

export function runTool(binary: string, args: string[], options: RunOptions = {}): Promise<string> {
  const { signal, onLine, onStdout } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    const out: Buffer[] = [];
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : out.push(chunk)));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr = (stderr + text).slice(-16_000);
      if (!onLine) return;
      pending += text;
      const lines = pending.split(/\r\n|\r|\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (onLine && pending) onLine(pending);
      if (signal?.aborted) return reject(abortReason(signal));
      if (code === 0) return resolve(Buffer.concat(out).toString());
      reject(new MediaToolError(`${binary} exited with ${code ?? killedBy}: ${lastLine(stderr)}`, stderr, killedBy !== null));
    });
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('media work aborted');
}

/** "HH:MM:SS.xx" of a status line → seconds, or undefined. */
export function statusSeconds(line: string): number | undefined {
  const m = /time=\s*(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

/** Reports 0..99 while ffmpeg runs (from its `time=`), each whole percent once. */
export function progressReporter(durationSeconds: number, onProgress: ((percent: number) => void) | undefined, from = 0, to = 99): (line: string) => void {
  let last = -1;
  return (line) => {
    const at = statusSeconds(line);
    if (at === undefined || !onProgress || durationSeconds <= 0) return;
    const p = Math.floor(from + (to - from) * Math.min(1, at / durationSeconds));
    if (p > last) {
      last = p;
      onProgress(p);
    }
  };
}
