import type { Directories } from '../../src/genesys/directories.js';
import type { OrgDirectory, DirectoryStatus } from '../../src/genesys/org-directory.js';
import type { GenesysSender, UpstreamRequest, UpstreamResponse } from '../../src/genesys/upstream-client.js';
import { MemoryDivisionIndex, type DirectoryEntry } from '../../src/scoping/division-index.js';

type Answer = { status?: number; json?: unknown; contentType?: string };

/** Genesys as a table of answers by method and path; records every request it is sent. */
export class FakeGenesys implements GenesysSender {
  readonly sent: UpstreamRequest[] = [];
  readonly #answers = new Map<string, (request: UpstreamRequest) => Answer>();

  answer(method: string, path: string, answer: Answer | ((request: UpstreamRequest) => Answer)): this {
    this.#answers.set(`${method} ${path}`, typeof answer === 'function' ? answer : () => answer);
    return this;
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    this.sent.push(request);
    const path = request.pathAndQuery.split('?')[0]!;
    const answer = this.#answers.get(`${request.method} ${path}`)?.(request) ?? { status: 404, json: { message: 'not found' } };
    return {
      status: answer.status ?? 200,
      headers: { 'content-type': answer.contentType ?? 'application/json' },
      body: Buffer.from(JSON.stringify(answer.json ?? {})),
      calls: 1,
    };
  }
}

/** A directory that knows a fixed set of entries and never calls Genesys. */
export class FixedDirectory implements OrgDirectory {
  readonly #entries = new Map<string, DirectoryEntry>();

  constructor(entries: readonly DirectoryEntry[] = []) {
    for (const entry of entries) this.#entries.set(entry.id, entry);
  }

  async index(): Promise<MemoryDivisionIndex> {
    return new MemoryDivisionIndex(this.#entries.values());
  }

  async divisionOf(id: string): Promise<string | undefined> {
    return this.#entries.get(id)?.divisionId;
  }

  record(id: string, entry: DirectoryEntry | undefined): void {
    if (entry) this.#entries.set(id, entry);
    else this.#entries.delete(id);
  }

  async refresh(): Promise<void> {}

  status(): DirectoryStatus {
    return { loadedAt: 0, entries: this.#entries.size, lastFailure: undefined };
  }

  assignments(): string {
    return [...this.#entries.values()].map((entry) => `${entry.id}=${entry.divisionId}`).sort().join(',');
  }

  close(): void {}
}

export function fixedDirectories(queues: readonly DirectoryEntry[] = [], users: readonly DirectoryEntry[] = []): Directories {
  return { queues: new FixedDirectory(queues), users: new FixedDirectory(users) };
}
