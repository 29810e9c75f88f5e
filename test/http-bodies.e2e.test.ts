/**
 * Request and response bodies against real servers on 127.0.0.1, through the built bin:
 * multipart uploads parsed by busboy (a real parser) with the SHA-256 of what arrived compared
 * with the file's, a file as the raw body, files outside the notebook's repository refused at
 * load time (located, exit 2) unless --allow-files names them, `responseType` overriding the
 * Content-Type (an NDJSON stream labelled application/json), a PNG kept as bytes (size and
 * SHA-256 in every report, never mis-decoded text), charsets honoured, and query arrays in each
 * `arrayFormat` read back by the server.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import busboy from 'busboy';
import { readJson, runCli, tempDir } from './helpers/cli.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A 1x1 PNG plus random bytes after IEND: not UTF-8, so a text decode would mangle it. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex'),
  randomBytes(64),
]);

interface Arrived {
  fields: Record<string, string>;
  files: Array<{ name: string; filename: string; mimeType: string; size: number; sha256: string }>;
}

/** Parses multipart/form-data with busboy, hashing each file as it streams in. */
function parseMultipart(req: IncomingMessage): Promise<Arrived> {
  return new Promise((resolve, reject) => {
    const arrived: Arrived = { fields: {}, files: [] };
    const bb = busboy({ headers: req.headers, defParamCharset: 'utf8' });
    const pending: Promise<void>[] = [];
    bb.on('field', (name, value) => (arrived.fields[name] = value));
    bb.on('file', (name, stream, info) => {
      const hash = createHash('sha256');
      let size = 0;
      pending.push(new Promise((done) => {
        stream.on('data', (c: Buffer) => {
          size += c.length;
          hash.update(c);
        });
        stream.on('end', () => {
          arrived.files.push({ name, filename: info.filename ?? "", mimeType: info.mimeType, size, sha256: hash.digest('hex') });
          done();
        });
      }));
    });
    bb.on('close', () => Promise.all(pending).then(() => resolve(arrived)));
    bb.on('error', reject);
    req.pipe(bb);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

let server: Server;
let url: string;
/** Raw bodies received by /raw, by request. */
const raws: Array<{ type: string | undefined; length: string | undefined; sha256: string; size: number }> = [];

before(async () => {
  server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/upload') {
      try {
        const arrived = await parseMultipart(req);
        send(res, 200, 'application/json', JSON.stringify({ ...arrived, contentLength: req.headers['content-length'] ?? null }));
      } catch (err) {
        send(res, 400, 'application/json', JSON.stringify({ error: (err as Error).message }));
      }
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (path === '/raw') {
      const got = { type: req.headers['content-type'], length: req.headers['content-length'], sha256: sha256(body), size: body.length };
      raws.push(got);
      return send(res, 200, 'application/json', JSON.stringify(got));
    }
    if (path === '/ndjson') return send(res, 200, 'application/json', '{"n":1}\n{"n":2}\n{"n":3}\n');
    if (path === '/png') return send(res, 200, 'image/png', PNG);
    if (path === '/octets') return send(res, 200, 'application/octet-stream', PNG);
    if (path === '/latin1') return send(res, 200, 'text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café"
    if (path === '/xml') return send(res, 200, 'application/xml', '<a><b>x</b></a>');
    if (path === '/json-as-text') return send(res, 200, 'text/plain', '{"id": 7}');
    // The query string exactly as it arrived, and as the server's own reader (URLSearchParams) sees it.
    if (path === '/query') {
      const search = new URL(req.url!, 'http://x').searchParams;
      return send(res, 200, 'application/json', JSON.stringify({ raw: (req.url ?? '').split('?')[1] ?? '', tags: search.getAll('tag'), bracketed: search.getAll('tag[]') }));
    }
    send(res, 404, 'application/json', '{"error":"no route"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => {
  server.closeAllConnections();
  server.close(() => r());
}));

/** A notebook in its own folder with its data files; returns the folder. */
function project(notebook: string, files: Record<string, string | Buffer> = {}): string {
  const dir = tempDir('bodies-');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'nb.yaml'), notebook);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function run(dir: string, extra: string[] = []) {
  const out = tempDir();
  const result = await runCli(['run', 'nb.yaml', '--base-url', url, '--out', out, ...extra], { cwd: dir });
  const read = (f: string) => {
    try {
      return readFileSync(join(out, f), 'utf8');
    } catch {
      return '';
    }
  };
  const report = result.code === 2 ? undefined : readJson(join(out, 'report.json'));
  return { ...result, out, report, steps: (report?.notebooks[0].steps ?? []) as any[], files: { json: read('report.json'), junit: read('junit.xml'), html: read('report.html'), md: read('report.md') } };
}

describe('multipart uploads', () => {
  it('sends text and file parts that a real parser reads, the file byte for byte; reports record names, types and sizes, never the bytes', async () => {
    const csv = `id,amount\n${Array.from({ length: 2000 }, (_, i) => `${i},${i * 3}`).join('\n')}\n`;
    const dir = project(`title: Upload
vars:
  nothing: null
steps:
  - name: Upload a report
    request:
      method: POST
      path: /upload
      multipart:
        title: "Report \${1 + 1}"
        absent: "\${nothing}"
        file: { file: data/report.csv, contentType: text/csv, filename: report.csv }
        picture: { file: data/pixel.png }
    expect:
      status: 200
      body: { fields: { title: "Report 2" } }
    assert:
      - length(body.files) == 2
      - keys(body.fields) == ['title']
      - body.files[0].sha256 == "${sha256(csv)}"
      - body.files[0].size == ${Buffer.byteLength(csv)}
      - body.files[0].filename == "report.csv"
      - body.files[0].mimeType == "text/csv"
      - body.files[1].sha256 == "${sha256(PNG)}"
      - body.files[1].filename == "pixel.png"
      - body.files[1].mimeType == "image/png"
`, { 'data/report.csv': csv, 'data/pixel.png': PNG });
    const r = await run(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const step = r.steps[0];
    assert.match(step.request.headers['content-type'], /^multipart\/form-data; boundary=/);
    assert.deepEqual(step.request.multipart.map((p: any) => [p.name, p.filename ?? null, p.contentType ?? null, p.size]), [
      ['title', null, null, 8],
      ['file', 'report.csv', 'text/csv', Buffer.byteLength(csv)],
      ['picture', 'pixel.png', 'image/png', PNG.length],
    ]);
    assert.equal(step.request.multipart[0].value, 'Report 2');
    // Sent with its length (not chunked), and the length is right: busboy read every byte.
    assert.equal(Number(step.response.body.contentLength), Number(step.request.headers['content-length']));
    for (const [name, text] of Object.entries(r.files)) assert.ok(!text.includes('1999,5997'), `${name} holds none of the file's bytes`);
    for (const name of ['html', 'md'] as const) {
      assert.ok(r.files[name].includes(`file: file report.csv (text/csv, ${Buffer.byteLength(csv)} bytes)`), `${name} lists the file part`);
      assert.ok(r.files[name].includes('title: &quot;Report 2&quot;') || r.files[name].includes('title: "Report 2"'), `${name} lists the text part`);
    }
  });

  it('fails the step when what arrived is not the file (the checker can fail)', async () => {
    const dir = project(`title: Upload
steps:
  - name: Upload
    request:
      method: POST
      path: /upload
      multipart: { file: { file: a.txt } }
    assert:
      - body.files[0].sha256 == "${sha256('something else')}"
`, { 'a.txt': 'the real content' });
    const r = await run(dir);
    assert.equal(r.code, 1);
    assert.equal(r.steps[0].status, 'failed');
  });

  it('a file outside the notebook\'s repository is refused at load time, located, exit 2; --allow-files lets it through', async () => {
    const outside = tempDir('outside-');
    writeFileSync(join(outside, 'secret.txt'), 'not for uploading');
    const dir = project(`title: Upload
steps:
  - name: Upload
    request:
      method: POST
      path: /upload
      multipart:
        file: { file: ${join(outside, 'secret.txt')} }
`);
    const refused = await run(dir);
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /nb\.yaml:8:\d+/);
    assert.match(refused.stderr, /outside the notebook's repository/);
    assert.match(refused.stderr, /--allow-files/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /);
    const allowed = await run(dir, ['--allow-files', outside]);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.equal(allowed.steps[0].response.body.files[0].sha256, sha256('not for uploading'));
  });

  it('a symlink inside the repository that points outside is refused too; a missing file is a located diagnostic', async () => {
    const outside = tempDir('outside-');
    writeFileSync(join(outside, 'key.pem'), 'private');
    const dir = project(`title: Upload
steps:
  - name: Linked
    request: { method: POST, path: /upload, multipart: { f: { file: link.pem } } }
  - name: Missing
    request: { method: POST, path: /upload, body: { file: nope.bin } }
`);
    symlinkSync(join(outside, 'key.pem'), join(dir, 'link.pem'));
    const r = await run(dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /outside the notebook's repository[^\n]*\n --> nb\.yaml:4:69/);
    assert.match(r.stderr, /file to send not found: nope\.bin\n --> nb\.yaml:6:59/);
  });

  it('a templated path is checked when the request is rendered: outside, the step errors and nothing is sent', async () => {
    const outside = tempDir('outside-');
    writeFileSync(join(outside, 'x.txt'), 'x');
    const dir = project(`title: Upload
vars:
  where: ${outside}
steps:
  - name: Templated
    request: { method: POST, path: /raw, body: { file: "\${where}/x.txt" } }
`);
    const before = raws.length;
    const r = await run(dir);
    assert.equal(r.code, 1);
    assert.equal(r.steps[0].status, 'error');
    assert.equal(r.steps[0].error.kind, 'file');
    assert.match(r.steps[0].error.message, /outside the notebook's repository/);
    assert.equal(raws.length, before);
  });
});

describe('a file as the raw body', () => {
  it('streams the file with its Content-Type (given, else from its name) and Content-Length', async () => {
    const payload = randomBytes(300_000);
    const dir = project(`title: Raw file
steps:
  - name: By name
    request: { method: PUT, path: /raw, body: { file: payload.bin } }
    expect: { body: { type: application/octet-stream, size: ${payload.length}, sha256: "${sha256(payload)}" } }
  - name: Header given
    request: { method: PUT, path: /raw, headers: { Content-Type: application/x-thing }, body: { file: payload.bin } }
    expect: { body: { type: application/x-thing } }
  - name: contentType given
    request: { method: PUT, path: /raw, body: { file: payload.bin, contentType: image/png } }
    expect: { body: { type: image/png, length: "${payload.length}" } }
`, { 'payload.bin': payload });
    const r = await run(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.steps[0].request.bodyFile, { file: 'payload.bin', contentType: 'application/octet-stream', size: payload.length });
    assert.equal(r.steps[0].request.body, undefined);
  });
});

describe('responseType and bodies kept as bytes', () => {
  it('an NDJSON stream labelled application/json is invalid JSON by default, and text with responseType: text', async () => {
    const dir = project(`title: NDJSON
steps:
  - name: As labelled
    continueOnFailure: true
    request: GET /ndjson
  - name: As text
    request: { method: GET, path: /ndjson, responseType: text }
    assert:
      - length(body) == 24
      - startsWith(body, '{"n":1}')
`);
    const r = await run(dir);
    assert.equal(r.steps[0].status, 'error');
    assert.equal(r.steps[0].error.kind, 'invalid-json');
    assert.equal(r.steps[1].status, 'passed', JSON.stringify(r.steps[1]));
  });

  it('defaults.responseType applies to every request; a request\'s own wins', async () => {
    const dir = project(`title: Defaults
defaults: { responseType: text }
steps:
  - name: Text by default
    request: GET /ndjson
    assert: ["contains(body, '{\\"n\\":3}')"]
  - name: JSON for this one
    request: { method: GET, path: /json-as-text, responseType: json }
    expect: { body: { id: 7 } }
`);
    const r = await run(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('a PNG stays bytes: length(body) counts them, reports show its size and SHA-256, never decoded text', async () => {
    const dir = project(`title: Image
steps:
  - name: Picture
    request: GET /png
    assert:
      - length(body) == ${PNG.length}
      - body.length == ${PNG.length}
      - body[0] == 137
    capture:
      picture: body
  - name: Octets, failing on purpose
    request: GET /octets
    assert:
      - length(body) == 1
`);
    const r = await run(dir);
    assert.equal(r.steps[0].status, 'passed', JSON.stringify(r.steps[0].checks));
    const res = r.steps[0].response;
    assert.equal(res.bodyType, 'bytes');
    assert.equal(res.bodySha256, sha256(PNG));
    assert.equal(res.bodyBytes, PNG.length);
    assert.equal(res.body, `[binary body: ${PNG.length} bytes, sha256 ${sha256(PNG)}]`);
    assert.equal(r.steps[0].captures.picture, res.body);
    assert.equal(r.steps[1].status, 'failed');
    const mangled = PNG.toString('utf8');
    for (const [name, text] of Object.entries(r.files)) {
      assert.ok(text.includes(sha256(PNG)), `${name} shows the SHA-256`);
      assert.ok(!text.includes('\ufffd') && !text.includes(mangled.slice(0, 12)), `${name} shows no decoded bytes`);
      assert.ok(!text.includes('"data":[137'), `${name} does not list the bytes`);
    }
    assert.match(r.stdout, /length\(body\) == 1/);
    assert.ok(r.stdout.includes(`response body: [binary body: ${PNG.length} bytes, sha256 ${sha256(PNG)}]`), 'the console names the bytes that came back');
    assert.ok(!r.stdout.includes('\ufffd'));
  });

  it('text honours its charset; XML is text; responseType: bytes keeps even JSON as bytes', async () => {
    const dir = project(`title: Text
steps:
  - name: Latin-1
    request: GET /latin1
    assert: ["body == 'café'"]
  - name: XML
    request: GET /xml
    assert: ["startsWith(body, '<a>')"]
  - name: Bytes on request
    request: { method: GET, path: /json-as-text, responseType: bytes }
    assert: ["length(body) == 9"]
`);
    const r = await run(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.steps[2].response.bodyType, 'bytes');
  });
});

describe('query arrays: arrayFormat', () => {
  it('brackets (the default), repeat and comma, each read back by the server', async () => {
    const dir = project(`title: Arrays
steps:
  - name: Default
    request: { method: GET, path: /query, query: { tag: [a, b] } }
    expect: { body: { raw: "tag[]=a&tag[]=b", bracketed: [a, b] } }
  - name: Repeat
    request: { method: GET, path: /query, arrayFormat: repeat, query: { tag: [a, b] } }
    expect: { body: { raw: "tag=a&tag=b", tags: [a, b] } }
  - name: Comma, a comma inside a value stays encoded
    request: { method: GET, path: /query, arrayFormat: comma, query: { tag: [a, "b,c"] } }
    expect: { body: { raw: "tag=a,b%2Cc", tags: ["a,b,c"] } }
`);
    const r = await run(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('defaults.arrayFormat applies to every request; the check fails on the wrong form', async () => {
    const dir = project(`title: Arrays
defaults: { arrayFormat: repeat }
steps:
  - name: Repeat by default
    request: { method: GET, path: /query, query: { tag: [x, y] } }
    expect: { body: { tags: [x, y] } }
  - name: Expects brackets, gets repeat
    request: { method: GET, path: /query, query: { tag: [x, y] } }
    expect: { body: { bracketed: [x, y] } }
`);
    const r = await run(dir);
    assert.equal(r.steps[0].status, 'passed');
    assert.equal(r.steps[1].status, 'failed');
  });
});
