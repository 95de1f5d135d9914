// The environment rule of tool servers (src/executor/tool-env.ts): what credentials are, and
// that a server gets the system's basics, the worker's variables it declares (names; prefixes,
// which never pass a credential), its declared values and the artifact store; nothing else.
import { describe, expect, it } from 'vitest';
import { isCredential, toolServerEnv } from '../../src/executor/tool-env.js';

describe('tool server environment', () => {
  it.each([
    ['DATABASE_URL', 'postgres://localhost/strata'],
    ['PGPASSWORD', 'x'],
    ['PGUSER', 'strata'],
    ['PGHOST', 'db'],
    ['STRATA_TOKEN', 'x'],
    ['STRATA_HOME', '/home/me/.strata'],
    ['GITHUB_TOKEN', 'x'],
    ['AWS_SECRET_ACCESS_KEY', 'x'],
    ['AWS_ACCESS_KEY_ID', 'x'],
    ['OPENAI_API_KEY', 'x'],
    ['MY_APIKEY', 'x'],
    ['SMTP_PASSWORD', 'x'],
    ['db_passwd', 'x'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/keys/sa.json'],
    ['SSH_AUTH_SOCK', '/tmp/agent'],
    ['CACHE_URL', 'redis://:hunter2@cache:6379'],
    ['UPSTREAM', 'https://user:pw@example.com/x'],
  ])('withholds %s', (name, value) => {
    expect(isCredential(name, value)).toBe(true);
  });

  it.each([
    ['PATH', '/usr/bin'],
    ['HOME', '/home/me'],
    ['LANG', 'C.UTF-8'],
    ['LM_LICENSE_FILE', '27000@licenses'],
    ['OMP_NUM_THREADS', '4'],
    ['PGPLOT_DIR', '/opt/pgplot'],
    ['KEYBOARD_LAYOUT', 'us'],
    ['SERVICE_URL', 'https://example.com/api'],
    ['NODE_OPTIONS', '--max-old-space-size=4096'],
  ])('passes %s', (name, value) => {
    expect(isCredential(name, value)).toBe(false);
  });

  const worker = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    LANG: 'C',
    LC_ALL: 'C.UTF-8',
    STRATA_TOKEN: 'secret',
    STRATA_ARTIFACTS: '/elsewhere',
    DATABASE_URL: 'postgres://u:pw@db/strata',
    LM_LICENSE_FILE: '27000@licenses',
    OMP_NUM_THREADS: '4',
    OMP_SECRET: 'x',
    CAD_LICENSE_TOKEN: 'from-the-worker',
    UNRELATED: 'x',
  };

  it.each<{
    name: string;
    server: { env: Record<string, string>; inherit: string[] };
    expected: Record<string, string>;
  }>([
    {
      name: 'nothing declared: the basics and the store',
      server: { env: {}, inherit: [] },
      expected: { PATH: '/usr/bin', HOME: '/home/me', LANG: 'C', LC_ALL: 'C.UTF-8' },
    },
    {
      name: 'names and a prefix (the prefix passes no credential)',
      server: { env: {}, inherit: ['LM_LICENSE_FILE', 'OMP_*'] },
      expected: {
        PATH: '/usr/bin',
        HOME: '/home/me',
        LANG: 'C',
        LC_ALL: 'C.UTF-8',
        LM_LICENSE_FILE: '27000@licenses',
        OMP_NUM_THREADS: '4',
      },
    },
    {
      name: 'a credential named exactly, and declared values over inherited ones',
      server: { env: { PATH: '/opt/cad/bin' }, inherit: ['CAD_LICENSE_TOKEN'] },
      expected: {
        PATH: '/opt/cad/bin',
        HOME: '/home/me',
        LANG: 'C',
        LC_ALL: 'C.UTF-8',
        CAD_LICENSE_TOKEN: 'from-the-worker',
      },
    },
  ])('$name', ({ server, expected }) => {
    expect(toolServerEnv(server, '/store', worker)).toEqual({
      ...expected,
      STRATA_ARTIFACTS: '/store',
    });
  });
});
