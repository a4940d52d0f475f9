/**
 * An answer already written as JSON bytes (by the byte scoper): sent as it is, never serialised
 * again. Anything else in `RowAnswer.body` is a value the HTTP adapter serialises.
 */
export class SerializedJson {
  constructor(readonly bytes: Buffer) {}
}
