/**
 * Reads a Bruno collection from disk: its folders (with folder.bru), request files and
 * environments, in Bruno's order (folders, then requests, each by `meta { seq }`, then name).
 * The whole read is bounded like any imported file (src/import/limits.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ImportError } from '../draft.js';
import { IMPORT_LIMITS, readImportText, tooLarge } from '../limits.js';
import { block, parseBru, type BruFile } from './parse.js';

export interface BruSource {
  path: string;
  text: string;
  bru: BruFile;
}

export interface BruFolder {
  name: string;
  folder?: BruSource;
  folders: BruFolder[];
  requests: BruSource[];
}

export interface BruCollection {
  root: string;
  name: string;
  collection?: BruSource;
  top: BruFolder;
  environments: BruSource[];
  config?: { text: string; path: string };
}

const SKIPPED = new Set(['node_modules', 'environments', '.git']);

class Budget {
  private used = 0;
  constructor(private readonly root: string) {}
  async read(path: string): Promise<string> {
    const text = await readImportText(path);
    this.used += Buffer.byteLength(text);
    if (this.used > IMPORT_LIMITS.fileBytes) throw tooLarge(this.root, this.used);
    return text;
  }
}

export async function readCollection(input: string): Promise<{ collection: BruCollection; only?: string }> {
  const isFile = statSync(input).isFile();
  const root = isFile ? collectionRootOf(input) : input;
  const budget = new Budget(root);
  const configPath = join(root, 'bruno.json');
  const config = exists(configPath) ? { path: configPath, text: await budget.read(configPath) } : undefined;
  let name = isFile && !config ? basename(input, '.bru') : basename(root);
  if (config) {
    try {
      const parsed = JSON.parse(config.text) as { name?: unknown };
      if (typeof parsed.name === 'string' && parsed.name.trim()) name = parsed.name;
    } catch (err) {
      throw new ImportError(`${configPath}: broken JSON (${(err as Error).message})`, 1, 'fix bruno.json, or export the collection again');
    }
  }
  if (!isFile && !config) throw new ImportError(`${input} is not a Bruno collection (no bruno.json)`, undefined, 'name the collection folder (the one with bruno.json), or one .bru file');
  const read = async (path: string): Promise<BruSource> => {
    const text = await budget.read(path);
    return { path, text, bru: parseBru(text, path) };
  };
  const collectionPath = join(root, 'collection.bru');
  const collection = exists(collectionPath) ? await read(collectionPath) : undefined;
  const top = isFile ? { name: '', folders: [], requests: [await read(input)] } : await readFolder(root, '', read);
  const envDir = join(root, 'environments');
  const environments: BruSource[] = [];
  if (exists(envDir)) for (const f of readdirSync(envDir).filter((f) => f.endsWith('.bru')).sort()) environments.push(await read(join(envDir, f)));
  return { collection: { root, name, collection, top, environments, config } };
}

async function readFolder(dir: string, name: string, read: (path: string) => Promise<BruSource>): Promise<BruFolder> {
  const out: BruFolder = { name, folders: [], requests: [] };
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith('.')) {
      const sub = await readFolder(path, e.name, read);
      if (sub.requests.length || sub.folders.length) out.folders.push(sub);
    } else if (e.isFile() && e.name === 'folder.bru') out.folder = await read(path);
    else if (e.isFile() && e.name.endsWith('.bru') && e.name !== 'collection.bru') out.requests.push(await read(path));
  }
  for (const f of out.folders) f.name = metaOf(f.folder?.bru, 'name') ?? f.name;
  out.folders.sort((a, b) => seqOf(a.folder?.bru) - seqOf(b.folder?.bru));
  out.requests.sort((a, b) => seqOf(a.bru) - seqOf(b.bru));
  return out;
}

function collectionRootOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (exists(join(dir, 'bruno.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

export function metaOf(bru: BruFile | undefined, key: string): string | undefined {
  return bru ? block(bru, 'meta')?.pairs.find((p) => p.key === key)?.value : undefined;
}

/** Sorting is stable: without a seq, the name order from readdir stays. */
function seqOf(bru: BruFile | undefined): number {
  const seq = Number(metaOf(bru, 'seq'));
  return Number.isFinite(seq) ? seq : Number.MAX_SAFE_INTEGER;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
