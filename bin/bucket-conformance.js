#!/usr/bin/env node
// The `bucket-conformance` command. The CLI is TypeScript run by Node's type stripping, which
// needs Node >= 22.18; under an older Node this re-executes itself with the Node 24 that the
// `node` devDependency installs, so `npx bucket-conformance` works where the system Node is 20.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'cli', 'main.ts');
const [major, minor] = process.versions.node.split('.').map(Number);
const native = major > 22 || (major === 22 && minor >= 18);

if (native) {
  const { main } = await import(entry);
  process.exit(await main(process.argv.slice(2)));
} else {
  const candidates = [join(root, 'node_modules', 'node', 'bin', 'node'), join(root, 'node_modules', '.bin', 'node')];
  const node = candidates.find((p) => existsSync(p));
  if (!node) {
    process.stderr.write(`bucket-conformance: needs Node >= 22.18 (found ${process.versions.node}); run \`npm install\` to get the bundled Node 24, or install Node 24\n`);
    process.exit(2);
  }
  const child = spawn(node, ['--disable-warning=ExperimentalWarning', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  // This process waits for the child, which cleans up and exits. A signal sent to this process
  // alone is passed on; Ctrl-C also reaches the child through the terminal's process group, so
  // the child may see SIGINT twice, and its commands treat a repeated signal like the first.
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (error) => {
    process.stderr.write(`bucket-conformance: could not start ${node}: ${error.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
}
