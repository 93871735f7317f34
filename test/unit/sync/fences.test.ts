/**
 * The engine's fences: nothing it imports reaches a browser API, so it runs under plain Node
 * (test/unit/sync/node-engine.test.ts). The browser's side lives in lib/background/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BROWSER_MODULES = /^(webextension-polyfill|wxt\/browser|wxt\/utils\/storage|wxt\/testing|@wxt-dev\/storage|@wxt-dev\/browser)/;
/** The message router still sits in lib/sync; it moves to entrypoints/background/router.ts. */
const ROUTER = 'lib/sync/router.ts';

/** Value imports only: `import type` and `export type` vanish from the build. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) {
    if (!match[1]) found.push(match[2]!);
  }
  return found;
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => existsSync(candidate) && candidate.match(/\.tsx?$/));
}

/** Every bare module reached from `entry`, with the chain of files that reaches it. */
function reach(entry: string): Map<string, string[]> {
  const bare = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of imports(file)) {
      if (specifier.startsWith('.')) {
        const target = resolveLocal(file, specifier);
        if (target) walk(target, [...chain, relative(ROOT, target)]);
      } else if (!bare.has(specifier)) {
        bare.set(specifier, chain);
      }
    }
  };
  walk(resolve(ROOT, entry), [entry]);
  return bare;
}

describe('the engine’s fences', () => {
  it.each(['lib/sync/service.ts', 'lib/sync/memory-environment.ts', 'lib/sync/connections.ts', 'lib/sync/cohorts.ts', 'lib/sync/history.ts'])(
    '%s reaches no browser API',
    (entry) => {
      const leaks = [...reach(entry)].filter(([specifier]) => BROWSER_MODULES.test(specifier));
      expect(leaks.map(([specifier, chain]) => `${specifier} via ${chain.join(' → ')}`)).toEqual([]);
    },
  );

  it('no file in lib/sync says `browser.`', () => {
    const files = readdirSync(resolve(ROOT, 'lib/sync')).map((name) => `lib/sync/${name}`);
    const offenders = files.filter((file) => file !== ROUTER && /\bbrowser\./.test(readFileSync(resolve(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the walk sees a browser import where there is one', () => {
    expect([...reach('lib/background/browser-environment.ts').keys()]).toContain('webextension-polyfill');
  });
});
