/** MITRE ATT&CK Enterprise facts: which ids exist and which tactics each technique belongs to. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface AttackData {
  source: string;
  tactics: Record<string, { name: string; sentinel: string }>;
  techniques: Record<string, { name: string; tactics: string[] }>;
}

let data: AttackData | undefined;

export function attackData(): AttackData {
  data ??= JSON.parse(readFileSync(fileURLToPath(new URL('./data/attack-enterprise.json', import.meta.url)), 'utf8')) as AttackData;
  return data;
}

export function technique(id: string): { name: string; tactics: string[] } | undefined {
  return attackData().techniques[id];
}
