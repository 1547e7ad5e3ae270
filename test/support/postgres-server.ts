import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/** A throwaway PostgreSQL cluster on loopback, owned by one test file. */
export interface PostgresServer {
  /** `postgres://sluice:<password>@127.0.0.1:<port>/postgres`: the superuser, over TCP with a password. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The superuser's name (`sluice`) and password, for tests that build their own connection strings. */
  readonly user: string;
  readonly password: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** Where the PostgreSQL server binaries are. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

const SUPERUSER = 'sluice';
const READY_TIMEOUT_MS = 20_000;

/**
 * Finds `initdb` and `postgres`: Debian keeps them off the PATH under `/usr/lib/postgresql/<major>/bin` (the
 * newest major wins), other systems on the PATH. Missing binaries are an error, not a reason to skip: the
 * application-database connector must be tested against a real server (`.ci/run` installs Debian's package).
 */
export function findPostgresBinaries(): PostgresBinaries {
  const debian = '/usr/lib/postgresql';
  const majors = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => /^\d+(\.\d+)?$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const folders = [
    ...majors.map((major) => join(debian, major, 'bin')),
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean),
  ];
  for (const folder of folders) {
    const initdb = join(folder, 'initdb');
    const postgres = join(folder, 'postgres');
    if (existsSync(initdb) && existsSync(postgres)) return { initdb, postgres };
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, postgres) not found under /usr/lib/postgresql/*/bin or on the PATH: ' +
      'install them (apt-get install postgresql, as .ci/run does) to run the application-database tests',
  );
}

/** The uid/gid to run the server as: PostgreSQL refuses to run as root, so root hands it to `postgres`. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4)
    throw new Error('tests run as root but there is no "postgres" OS user to run the PostgreSQL server as');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`PostgreSQL exited while starting:\n${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() - started > READY_TIMEOUT_MS)
      throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Creates a cluster in a fresh temp folder (`initdb`, superuser `sluice` with a random password, password
 * authentication over TCP), starts `postgres` on a free loopback port with durability off (a throwaway
 * cluster needs no fsync), and resolves once it accepts connections. Run as root, the folder is handed to
 * the `postgres` OS user and the server runs as that user.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const binaries = findPostgresBinaries();
  const owner = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'sluice-pg-'));
  const data = join(root, 'data');
  const password = `pw${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C' };
  try {
    if (owner) chownSync(root, owner.uid, owner.gid);
    const passwordFile = join(root, 'password');
    writeFileSync(passwordFile, password, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    const init = spawnSync(
      binaries.initdb,
      [
        '-D',
        data,
        '-U',
        SUPERUSER,
        `--pwfile=${passwordFile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
      ],
      { ...asOwner, env, cwd: root, encoding: 'utf8' },
    );
    if (init.status !== 0)
      throw new Error(`initdb failed (${init.error?.message ?? `exit ${init.status}`}):\n${init.stderr}`);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        data,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        root,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=20',
        '-c',
        'shared_buffers=16MB',
      ],
      { ...asOwner, env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`;
    try {
      await waitUntilReady(url, child, () => output);
    } catch (error) {
      child.kill('SIGKILL');
      await exited(child);
      if (attempt < 3 && /could not bind|address already in use/i.test(output)) continue;
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
    return {
      url,
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      password,
      async stop() {
        // SIGINT is PostgreSQL's "fast" shutdown: sessions are ended and the server exits at once.
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(timer);
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
}
