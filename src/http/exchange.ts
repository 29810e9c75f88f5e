/**
 * One request/response over an undici dispatcher, under one total deadline and one body cap.
 *
 * The deadline is a single setTimeout from send to the last body byte: it is not restarted by
 * each chunk (a server dripping a byte at a time cannot hold a step), and it does not depend on
 * undici's coarse timers (headersTimeout/bodyTimeout are turned off). When it fires, the promise
 * settles at once, whatever undici is doing (even while a connection is still being opened), and
 * the error says which phase was waiting. Our own handler sees each phase: `onConnect` is called
 * when the request is written to a connected socket, `onHeaders` when the response starts.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { decodersFor, type Decoder } from './decode.js';
import { emptyHeaders, parseRawHeaders, type HeaderLists } from './headers.js';

export type ExchangePhase = 'connect' | 'headers' | 'body';

export interface ExchangeRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  /** Text, or a stream read as it is sent (an upload: never held in memory whole). */
  body?: string | Readable;
}

export interface ExchangeLimits {
  deadlineMs: number;
  maxBodyBytes: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Every value of each header apart (repeated Set-Cookie headers stay distinct): see headers.ts. */
  headerLists: HeaderLists;
  /** The body as it is kept: decoded, at most maxBodyBytes. */
  body: Buffer;
  durationMs: number;
}

export type FailureReason = 'timeout' | 'interrupted' | 'too-large' | 'decode' | 'transport';

export class ExchangeFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly phase: ExchangePhase,
    readonly elapsedMs: number,
    /** What had arrived: status and headers, and the body so far. */
    readonly partial?: RawResponse,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The legacy undici handler interface (onConnect … onComplete), the one every dispatcher takes. */
interface LegacyHandler {
  onConnect(abort: (err?: Error) => void): void;
  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[] | null): void;
  onError(err: Error): void;
}

/** `onSent`: undici is writing the request now (it calls onConnect just before the bytes go out). */
export function exchange(dispatcher: Dispatcher, req: ExchangeRequest, limits: ExchangeLimits, signal?: AbortSignal, onSent?: () => void): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const started = performance.now();
    let phase: ExchangePhase = 'connect';
    let settled = false;
    let abortUndici: ((err?: Error) => void) | undefined;
    let failure: ExchangeFailure | undefined;
    let status = 0;
    let headers: Record<string, string> = emptyHeaders();
    let headerLists: HeaderLists = Object.create(null);
    const chunks: Buffer[] = [];
    let kept = 0;
    let received = 0;
    let encoding: string | undefined;
    let decoders: Decoder[] = [];
    let resumeSocket: (() => void) | undefined;

    const elapsed = () => Math.round(performance.now() - started);
    const snapshot = (): RawResponse | undefined =>
      status ? { status, headers, headerLists, body: Buffer.concat(chunks), durationMs: performance.now() - started } : undefined;

    const fail = (reason: FailureReason, message: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      failure = new ExchangeFailure(reason, message, phase, elapsed(), snapshot(), cause);
      for (const d of decoders) d.destroy();
      // Before onConnect undici gives no way to abort; onConnect does it as soon as it can.
      abortUndici?.(failure);
      reject(failure);
    };
    const succeed = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ status, headers, headerLists, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), durationMs: performance.now() - started });
    };

    const onDeadline = () => {
      // libuv's timers run on a millisecond clock cached per loop turn, so one may fire up to a
      // millisecond before `performance.now()` says the deadline has passed: never give up early.
      const left = limits.deadlineMs - (performance.now() - started);
      if (left > 0) {
        timer = setTimeout(onDeadline, Math.ceil(left));
        return;
      }
      const arrived = phase === 'body' ? `; ${received} bytes had arrived` : '';
      fail('timeout', `no complete response within ${limits.deadlineMs} ms: timed out after ${elapsed()} ms waiting for ${PHASE_TEXT[phase]} (phase: ${phase})${arrived}`);
    };
    let timer = setTimeout(onDeadline, limits.deadlineMs);
    const onAbort = () => fail('interrupted', 'interrupted');
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);

    const tooLarge = (seen: string) =>
      fail('too-large', `the response body is larger than the --max-body limit of ${formatBytes(limits.maxBodyBytes)} (${limits.maxBodyBytes} bytes): ${seen}`);

    /** Keeps decoded bytes, up to the cap. Returns false to ask for a pause (or once failed). */
    const keep = (chunk: Buffer): boolean => {
      if (settled) return false;
      if (kept + chunk.length > limits.maxBodyBytes) {
        tooLarge(`${kept + chunk.length} bytes${decoders.length ? ' (decoded)' : ''} had arrived when the read was stopped`);
        return false;
      }
      kept += chunk.length;
      chunks.push(chunk);
      return true;
    };

    /** Called with the first body chunk: a raw deflate stream is told apart by its first byte. */
    const startDecoding = (contentEncoding: string, first: Buffer) => {
      const found = decodersFor(contentEncoding, first[0]);
      if (!found || found.unknown) return;
      decoders = found.chain;
      for (let i = 0; i + 1 < decoders.length; i++) decoders[i].pipe(decoders[i + 1]);
      const last = decoders[decoders.length - 1];
      for (const d of decoders) d.on('error', (err) => fail('decode', `the response says content-encoding: ${contentEncoding} but its body cannot be decoded (${err.message})`, err));
      last.on('data', (chunk: Buffer) => keep(chunk));
      last.on('end', succeed);
      decoders[0].on('drain', () => resumeSocket?.());
    };

    const handler: LegacyHandler = {
      onConnect(abort) {
        if (failure) return abort(failure);
        abortUndici = abort;
        phase = 'headers';
        onSent?.();
      },
      onHeaders(statusCode, raw, resume) {
        if (settled) return false;
        if (statusCode < 200) return true;
        status = statusCode;
        ({ headers, lists: headerLists } = parseRawHeaders(raw));
        phase = 'body';
        resumeSocket = resume;
        const declared = Number(headers['content-length']);
        if (req.method !== 'HEAD' && statusCode !== 204 && statusCode !== 304 && declared > limits.maxBodyBytes) {
          tooLarge(`content-length says ${declared} bytes`);
          return false;
        }
        if (req.method !== 'HEAD') encoding = headers['content-encoding'];
        return true;
      },
      onData(chunk) {
        if (settled) return false;
        if (received === 0 && encoding) startDecoding(encoding, chunk);
        received += chunk.length;
        if (decoders.length === 0) return keep(chunk);
        if (received > limits.maxBodyBytes) {
          tooLarge(`${received} bytes (still encoded) had arrived when the read was stopped`);
          return false;
        }
        return decoders[0].write(chunk);
      },
      onComplete() {
        // An empty body may say content-encoding too (a 204): decoding starts with the first byte.
        if (decoders.length) decoders[0].end();
        else succeed();
      },
      onError(err) {
        fail('transport', err.message, err);
      },
    };

    try {
      dispatcher.dispatch(
        { origin: req.origin, path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body, headersTimeout: 0, bodyTimeout: 0 },
        handler as unknown as Dispatcher.DispatchHandler,
      );
    } catch (err) {
      fail('transport', (err as Error).message, err);
    }
  });
}

const PHASE_TEXT: Record<ExchangePhase, string> = {
  connect: 'a connection',
  headers: 'the response headers',
  body: 'the rest of the response body',
};

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
