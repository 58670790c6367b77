/**
 * ARM error bodies: every failure the emulator returns is `{"error":{"code","message"}}` with the
 * HTTP status Azure Resource Manager / the resource provider uses for that code.
 */

export class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const badRequest = (message: string, code = 'BadRequest'): ArmError => new ArmError(400, code, message);
export const notFound = (message: string, code = 'NotFound'): ArmError => new ArmError(404, code, message);
export const conflict = (message: string, code = 'Conflict'): ArmError => new ArmError(409, code, message);
export const methodNotAllowed = (method: string): ArmError =>
  new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
