/**
 * The network settings of a run, from the command line, the environment and the notebooks:
 * the TLS and HTTP/2 defaults (--ca, --cert, --key, --insecure, --http2), the proxies
 * (--proxy, --no-proxy, HTTP(S)_PROXY, NO_PROXY; their credentials go to the redactor before
 * anything can print them), the files the notebooks' `tls:` name (checked against the file rule
 * before anything is sent), and the one warning line when certificates are not verified.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkFileAccess, FileAccessError, fileRulesFor } from '../files/access.js';
import type { HttpClientOptions } from '../http/client.js';
import { proxyConfig, proxySecrets, ProxySettingError } from '../http/proxy.js';
import { renderDiagnostic, type Diagnostic } from '../notebook/diagnostic.js';
import { tlsFiles } from '../notebook/transport-spec.js';
import { tlsSpecsOf } from '../notebook/released.js';
import type { Notebook } from '../notebook/types.js';
import { SecretTooShortError, shortSecretMessage, type Redactor } from '../run/redact.js';
import { UsageError, type RunArgs } from './args.js';
import { readTextIfPresent } from '../files/read-text.js';

/**
 * The `tls:` files that may not be read (outside the notebook's repository, unless --allow-files
 * names their folder) and, for a run, those that are missing: located, printed, counted.
 */
export function checkTlsFiles(notebooks: Notebook[], allowFiles: string[], mustExist: boolean, stderr: NodeJS.WritableStream, color: boolean): number {
  let problems = 0;
  for (const nb of notebooks) {
    const specs = tlsSpecsOf(nb);
    if (!specs.length) continue;
    const rules = fileRulesFor(nb.file, allowFiles);
    const text = readTextIfPresent(nb.file);
    const seen = new Set<string>();
    for (const f of specs.flatMap(tlsFiles)) {
      const where = `${f.span.line}:${f.span.col}:${f.value}`;
      if (seen.has(where)) continue;
      seen.add(where);
      let d: Diagnostic | undefined;
      try {
        const real = checkFileAccess(f.written, dirname(nb.file), rules, `TLS file (\`tls.${f.key}\`)`);
        if (mustExist && !readable(real)) d = { message: `the TLS file \`${f.written}\` (\`tls.${f.key}\`) cannot be read`, span: f.span, hint: `looked for ${f.value}; paths are relative to the notebook` };
      } catch (err) {
        if (!(err instanceof FileAccessError)) throw err;
        d = { message: err.message, span: f.span, hint: err.hint };
      }
      if (d) {
        stderr.write(renderDiagnostic(d, text, color) + '\n\n');
        problems++;
      }
    }
  }
  if (problems) stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found; nothing was sent.\n`);
  return problems;
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The client's network options; proxy credentials are given to the redactor first. */
export function networkOptions(args: RunArgs, env: NodeJS.ProcessEnv, redactor: Redactor): Pick<HttpClientOptions, 'transport' | 'proxy'> {
  let proxy: HttpClientOptions['proxy'];
  try {
    proxy = proxyConfig(env, { proxy: args.proxy, noProxy: args.noProxy });
  } catch (err) {
    if (err instanceof ProxySettingError) throw new UsageError(err.message);
    throw err;
  }
  for (const route of [proxy?.http, proxy?.https]) {
    if (!route) continue;
    for (const secret of proxySecrets(route)) {
      try {
        redactor.add(secret);
      } catch (err) {
        if (err instanceof SecretTooShortError) throw new UsageError(`${route.source}: ${shortSecretMessage('the proxy password', secret)}`);
        throw err;
      }
    }
  }
  const tls = {
    ...(args.ca.length ? { ca: args.ca } : {}),
    ...(args.cert ? { cert: args.cert } : {}),
    ...(args.key ? { key: args.key } : {}),
    ...(args.insecure ? { insecure: true } : {}),
  };
  const transport = Object.keys(tls).length || args.http2 ? { tls: Object.keys(tls).length ? tls : undefined, http2: args.http2 || undefined } : undefined;
  return { transport, proxy };
}

/**
 * A passphrase written as text in a notebook (no `${…}`) is known before anything runs: the
 * redactor learns it now, since results of earlier steps are redacted before its step renders it.
 */
export function registerLiteralPassphrases(notebooks: Notebook[], redactor: Redactor): void {
  for (const nb of notebooks) {
    for (const spec of tlsSpecsOf(nb)) {
      if (!spec.passphrase || spec.passphrase.exprs.length) continue;
      const value = String(spec.passphrase.render(() => ({ found: true, value: null })) ?? '');
      try {
        redactor.add(value);
      } catch (err) {
        if (err instanceof SecretTooShortError) throw new UsageError(`${spec.span.file}:${spec.span.line}: ${shortSecretMessage('the TLS passphrase (`tls.passphrase`)', value)}`);
        throw err;
      }
    }
  }
}

/** `open` has no network flags: the proxy variables only (a proxy must not be ignored there either). */
export function environmentNetworkOptions(env: NodeJS.ProcessEnv, redactor: Redactor): Pick<HttpClientOptions, 'transport' | 'proxy'> {
  return networkOptions({ ca: [], insecure: false, http2: false, noProxy: false } as unknown as RunArgs, env, redactor);
}

/** Where certificate checks are turned off: `--insecure`, and `file:line` of each `insecure: true`. */
export function insecureSources(args: Pick<RunArgs, 'insecure'> | undefined, notebooks: Notebook[]): string[] {
  const out = args?.insecure ? ['--insecure'] : [];
  for (const nb of notebooks) for (const spec of tlsSpecsOf(nb)) if (spec.insecure?.value) out.push(`${spec.insecure.span.file}:${spec.insecure.span.line}`);
  return out;
}

/** The one warning line of a run that does not verify certificates. */
export function insecureWarning(sources: string[]): string {
  const shown = sources.length > 3 ? `${sources.slice(0, 3).join(', ')} and ${sources.length - 3} more` : sources.join(', ');
  return `warning: TLS certificates are not verified (${shown}): any server, or anyone in between, can answer for these hosts; use it only against test servers\n`;
}
