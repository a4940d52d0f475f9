import type { Directories } from '../genesys/directories.js';
import type { DivisionIndex } from '../scoping/division-index.js';
import type { DirectoryName } from '../scoping/route-rule.js';
import type { ScopeFacts } from '../scoping/scope.js';

/**
 * Loads the directories a row declares, once, before its scopers run. Reading one the row did not
 * declare is a bug in the table and fails loudly rather than triggering a hidden load.
 */
export async function loadFacts(needs: readonly DirectoryName[] | undefined, directories: Directories, correlationId: string): Promise<ScopeFacts> {
  const wanted = [...new Set(needs ?? [])];
  const loaded = new Map<DirectoryName, DivisionIndex>(
    await Promise.all(wanted.map(async (name) => [name, await directories[name].index(correlationId)] as const)),
  );
  const facts: Partial<Record<DirectoryName, DivisionIndex>> = {};
  for (const name of Object.keys(directories) as DirectoryName[]) {
    Object.defineProperty(facts, name, {
      enumerable: true,
      get: () => {
        const index = loaded.get(name);
        if (!index) throw new Error(`a policy row reads the ${name} directory without declaring it in needs`);
        return index;
      },
    });
  }
  return facts as ScopeFacts;
}
