/**
 * Terminal colour, decided once per run: off unless stdout is a terminal, `NO_COLOR` (any
 * non-empty value, no-color.org) turns it off, `FORCE_COLOR` turns it on (`0`/`false` off), as
 * Node and most CLIs read them. The codes come from Node's `util.styleText`; the decision is ours,
 * so the stream check is off (`validateStream: false`).
 */
import { styleText } from 'node:util';

export interface Style {
  color: boolean;
}

export const PLAIN: Style = { color: false };

type StyleFormat = Parameters<typeof styleText>[0];

export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY;
}

export function paint(style: Style, format: StyleFormat, text: string): string {
  return style.color ? styleText(format, text, { validateStream: false }) : text;
}
