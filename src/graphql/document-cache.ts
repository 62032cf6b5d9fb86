import type { DocumentNode } from 'graphql';

/**
 * Yoga's parse cache, bounded in bytes: Yoga's own keeps 1,024 documents of any size for an hour,
 * so ~200 distinct 1 MB documents ran a 256 MB heap out. Here only documents of at most
 * `maxDocumentChars` are kept, `maxTotalChars` of text in all (least recently used out first), and
 * a document that then fails validation is dropped. Parse errors are never kept.
 */
export class DocumentCache {
  private readonly entries = new Map<string, DocumentNode>();
  private readonly keys = new WeakMap<DocumentNode, string>();
  private total = 0;

  constructor(
    readonly maxDocumentChars = 16 * 1024,
    readonly maxTotalChars = 1024 * 1024,
  ) {}

  get(key: string): DocumentNode | undefined {
    const doc = this.entries.get(key);
    if (doc) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, doc);
    }
    return doc;
  }

  set(key: string, doc: DocumentNode): void {
    if (key.length > this.maxDocumentChars || this.entries.has(key)) return;
    this.entries.set(key, doc);
    this.keys.set(doc, key);
    this.total += key.length;
    for (const [oldest] of this.entries) {
      if (this.total <= this.maxTotalChars) break;
      this.delete(oldest);
    }
  }

  /** Drops a document that turned out invalid. */
  forget(doc: DocumentNode): void {
    const key = this.keys.get(doc);
    if (key !== undefined) this.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  get chars(): number {
    return this.total;
  }

  private delete(key: string) {
    if (this.entries.delete(key)) this.total -= key.length;
  }
}

/** Parse errors are said again each time rather than kept (a kept error holds its whole source). */
export const NO_ERROR_CACHE = { get: () => undefined, set: () => undefined };
