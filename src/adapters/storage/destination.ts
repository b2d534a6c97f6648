import type { Readable, Writable } from 'node:stream';

/** Where backup sets are kept. A set is visible (listed) only once `commit` has written its manifest. */
export interface Destination {
  readonly name: 'local' | 's3';
  /** Removes what interrupted runs left (staged sets that were never committed); returns their ids. */
  cleanLeftovers(): Promise<string[]>;
  /** A writable for one part of a set being staged; `done` settles when the bytes are stored. */
  writePart(setId: string, file: string): PartSink;
  /** Reads a part back: from the staging area while `staged`, else from the committed set. */
  readPart(setId: string, file: string, staged?: boolean): Promise<Readable>;
  /** Makes the staged set visible with its manifest (atomic where the store allows). */
  commit(setId: string, manifest: string): Promise<void>;
  abort(setId: string): Promise<void>;
  /** Every committed set's manifest text. */
  listManifests(): Promise<string[]>;
  remove(setId: string): Promise<void>;
}

export interface PartSink {
  readonly stream: Writable;
  readonly done: Promise<void>;
}
