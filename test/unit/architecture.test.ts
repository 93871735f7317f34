/**
 * Who may import whom (docs/architecture.md), checked on the source: every relative import of
 * lib/, components/ and entrypoints/ is resolved to its file, and the rules below hold for the
 * direct imports and, where the rule is about what ends up in a bundle, for the whole closure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['lib', 'components', 'entrypoints'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))).map((path) => relative(ROOT, path));
const text = new Map(files.map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]));

/** The project files a file imports (type-only imports included: they couple too). */
function importsOf(file: string): string[] {
  const specifiers = [...text.get(file)!.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => resolveImport(file, specifier)).filter((target) => /\.tsx?$/.test(target));
}

function resolveImport(from: string, specifier: string): string {
  // Vite's query suffixes (`?inline`, `?url`) name the same file.
  const base = join(dirname(from), specifier.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(join(ROOT, candidate)) && statSync(join(ROOT, candidate)).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));

function closure(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(graph.get(file) ?? []));
  }
  return seen;
}

const under = (file: string, ...prefixes: string[]) => prefixes.some((prefix) => file.startsWith(prefix));

/** Pairs `importer → imported` among `importers` whose target matches `forbidden`. */
function edges(importers: (file: string) => boolean, forbidden: (target: string) => boolean): string[] {
  return files.filter(importers).flatMap((file) => graph.get(file)!.filter(forbidden).map((target) => `${file} → ${target}`));
}

describe('architecture', () => {
  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get('lib/sync/service.ts')?.length).toBeGreaterThan(3);
  });

  it('lib never imports from entrypoints/ or components/', () => {
    expect(edges((file) => under(file, 'lib/'), (target) => under(target, 'entrypoints/', 'components/'))).toEqual([]);
  });

  it('the in-page code (content script, export dialog, Integrations entry) reaches no storage module', () => {
    const inPage = closure(['entrypoints/mixpanel.content/index.ts', 'entrypoints/export-dialog.ts']);
    expect(inPage.size).toBeGreaterThan(20);
    expect([...inPage].filter((file) => under(file, 'lib/storage/', 'lib/sync/', 'lib/background/'))).toEqual([]);
  });

  it('the overlay and the pages import no storage module', () => {
    const pages = (file: string) => under(file, 'lib/overlay/', 'lib/ui/', 'components/', 'entrypoints/popup/', 'entrypoints/options/', 'entrypoints/connect-frame/');
    expect(edges(pages, (target) => under(target, 'lib/storage/'))).toEqual([]);
  });

  it('the API clients import neither storage, the engine, nor each other', () => {
    const engineSide = (target: string) => under(target, 'lib/storage/', 'lib/sync/', 'lib/background/');
    expect(edges((file) => under(file, 'lib/mixpanel/'), (target) => engineSide(target) || under(target, 'lib/clevertap/'))).toEqual([]);
    expect(edges((file) => under(file, 'lib/clevertap/'), (target) => engineSide(target) || under(target, 'lib/mixpanel/'))).toEqual([]);
  });

  it('the engine (lib/sync) has no browser reference: its environment is injected', () => {
    const engine = files.filter((file) => under(file, 'lib/sync/'));
    expect(engine.length).toBeGreaterThan(10);
    const withBrowser = engine.filter((file) => /\bbrowser\.|webextension-polyfill|wxt\/browser|\bchrome\./.test(text.get(file)!));
    expect(withBrowser).toEqual([]);
  });
});
