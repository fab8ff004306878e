/**
 * `bucket-conformance serve`: runs a vendor's emulator until SIGINT or SIGTERM. The first line
 * on standard output is always `listening on http://HOST:PORT`, so that scripts can read the
 * port of `--port 0`.
 */
import { parseArgs } from 'node:util';
import { defaultAccountsFile, loadAccounts } from '../emulator/accounts.ts';
import { startEmulator } from '../emulator/server.ts';
import { isVendor } from '../model/vendors.ts';
import { EXIT, integer, usage } from './args.ts';

/** Runs `serve`; resolves with the exit code once a signal stopped the server. */
export async function commandServe(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      vendor: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      accounts: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'trust-source-ip-header': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) usage(`serve takes no positional argument, got \`${positionals[0]}\``);
  const vendor = values.vendor;
  if (vendor === undefined) usage('serve needs --vendor: alibaba-oss, huawei-obs or aps-oss');
  if (!isVendor(vendor)) usage(`--vendor: unknown vendor \`${vendor}\`; valid vendors: alibaba-oss, huawei-obs, aps-oss`);
  const port = integer('port', values.port, 0) ?? 0;
  if (port > 65535) usage(`--port: \`${values.port}\` is not a port (0 to 65535)`);
  const maxBodyBytes = integer('max-body-bytes', values['max-body-bytes'], 0);
  const accountsFile = values.accounts ?? defaultAccountsFile(vendor);
  const accounts = loadAccounts(accountsFile);

  // Listen for the stop signals before the first line is printed, so that a script that signals
  // as soon as it reads it is heard. A repeated signal (Ctrl-C reaches both the bin wrapper and
  // this process) changes nothing.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.on('SIGINT', () => resolve('SIGINT'));
    process.on('SIGTERM', () => resolve('SIGTERM'));
  });
  const host = values.host ?? '127.0.0.1';
  let emulator;
  try {
    emulator = await startEmulator({ vendor, host, port, accounts, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }), ...(values['trust-source-ip-header'] ? { trustSourceIpHeader: true } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') usage(`cannot listen on \`${host}:${port}\`: ${(error as Error).message}`);
    throw error;
  }
  process.stdout.write(`listening on ${emulator.url}\n`);
  const identities = vendor === 'aps-oss' ? `${accounts.apps.length} app(s)` : `${accounts.accounts.length} account(s)`;
  process.stdout.write(`vendor: ${vendor}; identities: ${identities} from ${accountsFile}${values.accounts === undefined ? ' (the default set)' : ''}\n`);
  for (const line of emulator.dialect.describe?.(emulator.url) ?? []) process.stdout.write(`${line}\n`);
  if (values['trust-source-ip-header']) process.stdout.write('source addresses: taken from the emulator-only header x-bucket-conformance-source-ip when a request has it (--trust-source-ip-header)\n');
  process.stdout.write('stop with Ctrl-C (SIGINT) or SIGTERM\n');

  const signal = await stopped;
  await emulator.close();
  process.stderr.write(`${signal}: emulator stopped\n`);
  return EXIT.ok;
}
