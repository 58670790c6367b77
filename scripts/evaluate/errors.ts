/** The one error the evaluator throws: a message with the 0-based offset and 1-based line:col in the query. */
export class EvaluationError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly col: number;
  constructor(
    message: string,
    offset: number,
    line: number,
    col: number,
  ) {
    super(message);
    this.offset = offset;
    this.line = line;
    this.col = col;
    this.name = 'EvaluationError';
  }
}

/** 1-based line:col of a 0-based offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

export function errorAt(text: string, offset: number, message: string): EvaluationError {
  const { line, col } = lineCol(text, offset);
  return new EvaluationError(message, offset, line, col);
}

/** `not supported by the local evaluator: <construct> at <line>:<col>`. */
export function unsupportedAt(text: string, offset: number, construct: string): EvaluationError {
  const { line, col } = lineCol(text, offset);
  return new EvaluationError(`not supported by the local evaluator: ${construct} at ${line}:${col}`, offset, line, col);
}
