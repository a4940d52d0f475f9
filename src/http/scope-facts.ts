import type { DivisionIndex } from '../scoping/division-index.js';
import type { DirectoryName } from '../scoping/route-rule.js';
import type { ScopeFacts } from '../scoping/scope.js';
import type { Directories } from './ownership.js';

/**
 * Loads the directories a row declares, once, before its scopers run. Reading one the row did not
 * declare is a bug in the table and fails loudly rather than triggering a hidden load.
 */
export async function loadFacts(needs: readonly DirectoryName[] | undefined, directories: Directories, correlationId: string): Promise<ScopeFacts> {
  const wanted = new Set(needs ?? []);
  const [queues, users] = await Promise.all([
    wanted.has('queues') ? directories.queues.index(correlationId) : undefined,
    wanted.has('users') ? directories.users.index(correlationId) : undefined,
  ]);
  const declared = (name: DirectoryName, index: DivisionIndex | undefined): DivisionIndex => {
    if (!index) throw new Error(`a policy row reads the ${name} directory without declaring it in needs`);
    return index;
  };
  return {
    get queues() {
      return declared('queues', queues);
    },
    get users() {
      return declared('users', users);
    },
  };
}
