import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Every src file a module reaches through its relative imports, itself included. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [path.resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(path.resolve(path.dirname(file), `${match[1]}.ts`));
    }
  }
  return seen;
}

describe('the production image', () => {
  // The Dockerfile deletes these folders from dist: an import of one would break the image.
  const devOnly = ['src/simulator/', 'src/demo/', 'src/docs/'].map((folder) => path.resolve(folder) + path.sep);

  it.each(['src/main.ts', 'src/cli/bin.ts'])('%s reaches neither the simulator nor the demo', (entry) => {
    const files = [...reachable(entry)];
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((file) => devOnly.some((folder) => file.startsWith(folder)))).toEqual([]);
  });
});
