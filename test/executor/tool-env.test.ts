// The environment rule of tool servers (src/executor/tool-env.ts): the worker's variables pass
// unless they are credentials; declared variables pass as given; the artifact store is set.
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

  it('adds the declared variables (credentials included) and the artifact store', () => {
    const env = toolServerEnv({ CAD_LICENSE_TOKEN: 'declared', PATH: '/opt/cad/bin' }, '/store', {
      PATH: '/usr/bin',
      STRATA_TOKEN: 'secret',
      STRATA_ARTIFACTS: '/elsewhere',
      LANG: 'C',
    });
    expect(env).toEqual({
      PATH: '/opt/cad/bin',
      LANG: 'C',
      CAD_LICENSE_TOKEN: 'declared',
      STRATA_ARTIFACTS: '/store',
    });
  });
});
