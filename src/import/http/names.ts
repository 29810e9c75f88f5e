/**
 * `{{…}}` in .http files → notebook expressions. The dialects' forms:
 *   - `{{host}}`: a file var (`@host = …`), an environment's value, or else an input;
 *   - `{{$dotenv X}}`, `{{$processEnv X}}`: an input read from the environment variable X;
 *   - `{{login.response.body.$.id}}` (REST Client) and `{{login.id}}` (httpyac): a capture on
 *     the step named `login`, from its body (JSONPath `$.a.b[0]`) or a header;
 *   - `{{$guid}}`, `{{$timestamp}}`, `{{$randomInt a b}}`: the nearest function.
 */
import type { DraftStep } from '../draft.js';
import { identifier, SECRET_NAME } from '../draft.js';

export interface Use {
  line: number;
  step: DraftStep;
}

export class HttpNames {
  readonly fileVars = new Map<string, string>();
  readonly used = new Map<string, number>();
  readonly inputs = new Map<string, string>();
  readonly secretInputs = new Set<string>();
  /** Request name → its step, for `{{login.…}}` references. */
  readonly named = new Map<string, DraftStep>();
  /** Names a response handler sets (`client.global.set`): captures, not inputs. */
  readonly captured = new Set<string>();
  readonly untranslated: Array<{ text: string; use: Use; why?: string }> = [];
  /** Every `# @name` of the file, to tell a reference to a later request from a var. */
  readonly namedLater = new Set<string>();
  private readonly captureNames = new Set<string>();

  template(text: string, use: Use): string {
    return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, inner: string) => {
      const expr = this.expression(inner.trim(), use);
      return expr === undefined ? whole : `\${${expr}}`;
    });
  }

  private expression(inner: string, use: Use): string | undefined {
    const env = /^\$(?:dotenv|processEnv)\s+%?([A-Za-z_]\w*)$/.exec(inner);
    if (env) {
      const name = identifier(env[1]!);
      this.inputs.set(name, env[1]!);
      if (SECRET_NAME.test(env[1]!)) this.secretInputs.add(name);
      return name;
    }
    if (inner === '$guid' || inner === '$uuid' || inner === '$random.uuid') return 'uuid()';
    if (inner === '$timestamp') return 'unixtime()';
    if (/^\$randomInt\b/.test(inner)) return 'now() % 1000';
    if (inner.startsWith('$')) {
      this.untranslated.push({ text: `{{${inner}}}`, use });
      return undefined;
    }
    const alias = this.requestAlias(inner);
    if (alias) return this.expression(alias, use);
    const ref = /^([\w-]+)\.(.+)$/.exec(inner);
    if (ref && this.named.has(ref[1]!)) return this.capture(ref[1]!, ref[2]!, use);
    if (ref && this.namedLater.has(ref[1]!)) {
      this.untranslated.push({ text: `{{${inner}}}`, use, why: `reads the response of "${ref[1]}", a request further down the file: move this request below it` });
      return undefined;
    }
    const name = identifier(inner);
    if (!this.used.has(name)) this.used.set(name, use.line);
    this.rawName.set(name, inner);
    return name;
  }
  readonly rawName = new Map<string, string>();

  /** `@token = {{login.response.body.$.token}}`: REST Client reads it when used, so each use is the capture. */
  requestAlias(fileVar: string): string | undefined {
    const ref = /^\{\{\s*(([\w-]+)\.[^{}]+?)\s*\}\}$/.exec(this.fileVars.get(fileVar) ?? '');
    return ref && this.namedLater.has(ref[2]!) ? ref[1] : undefined;
  }

  /** `login.response.body.$.token` / `login.response.headers.X-Token` / `login.token` → a capture on login's step. */
  private capture(request: string, path: string, use: Use): string | undefined {
    const step = this.named.get(request)!;
    const rest = path.replace(/^response\./, '');
    let expr: string | undefined;
    const header = /^headers\.([\w-]+)$/.exec(rest);
    if (header) expr = `headers['${header[1]!.toLowerCase()}']`;
    else {
      const body = /^body\.\$((?:\.[A-Za-z_]\w*|\[\d+\])*)$/.exec(rest) ?? (path === rest ? /^()((?:[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*|\[\d+\])*)$/.exec(rest) : null);
      if (body) expr = `body${body[1] ? body[1] : `.${body[2]}`}`;
      else if (rest === 'body.*' || rest === 'body') expr = 'body';
      else if (/^body\.\/\/?[^'\\]+$/.test(rest)) expr = `xpath(body, '${rest.slice(5)}')`;
    }
    if (!expr) {
      this.untranslated.push({ text: `{{${request}.${path}}}`, use });
      return undefined;
    }
    let name = identifier(`${request} ${expr.startsWith('xpath') ? 'xpath' : expr.replace(/^body\.?|^headers/, '').replace(/[[\]'.]+/g, ' ')}`);
    if (name === identifier(request)) name = identifier(`${request} body`);
    for (const [k, v] of Object.entries(step.capture ?? {})) if (v === expr) return k;
    while (this.captureNames.has(name) && step.capture?.[name] !== expr) name += '_';
    this.captureNames.add(name);
    (step.capture ??= {})[name] = expr;
    return name;
  }
}
