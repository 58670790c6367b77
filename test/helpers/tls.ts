/**
 * A self-signed certificate for 127.0.0.1, made per test run with openssl in a temp dir (never
 * committed): the emulator's HTTPS listener presents it, and a child process trusts it through
 * NODE_EXTRA_CA_CERTS (Node reads that variable once, at start-up, so only a child can use it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  dir: string;
  certPath: string;
  cert: string;
  key: string;
  cleanup(): void;
}

export function selfSignedLoopbackCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`these tests need openssl (1.1.1 or later, for -addext) on PATH to make a throw-away certificate: ${(e as Error).message}`);
  }
  return { dir, certPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
