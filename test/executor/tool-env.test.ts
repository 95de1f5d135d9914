// The environment rule of tool servers (src/executor/tool-env.ts): what credentials are, and
// that a server gets the system's basics, the worker's variables it declares (names; prefixes,
// which never pass a credential), its declared values and the artifact store's location; nothing
// else. What opening an S3 store takes (the worker's AWS_* variables, credentials included)
// reaches only a server declared to use the store, or what its `inherit` names.
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
    STRATA_ARTIFACT_STORE: '/elsewhere',
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
      STRATA_ARTIFACT_STORE: '/store',
    });
  });

  describe('with an S3 artifact store', () => {
    const location = {
      STRATA_ARTIFACT_STORE: 's3://study/beam',
      STRATA_ARTIFACT_STORE_MODE: 'group',
    };
    const sdkVariables = {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
      AWS_SESSION_TOKEN: 'session-token',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_S3: 'http://minio.internal:9000',
      AWS_PROFILE: 'study',
    };
    const s3Worker = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      ...location,
      ...sdkVariables,
      DATABASE_URL: 'postgres://u:pw@db/strata',
      STRATA_TOKEN: 'secret',
    };

    it('tells a server not declared to use the store where it is, and gives it no credential', () => {
      expect(toolServerEnv({ env: {}, inherit: [] }, 's3://study/beam', s3Worker)).toEqual({
        PATH: '/usr/bin',
        HOME: '/home/me',
        ...location,
      });
    });

    it('gives a server declared to use the store every AWS_* variable of the worker', () => {
      expect(
        toolServerEnv({ env: {}, inherit: [], artifactStore: true }, 's3://study/beam', s3Worker),
      ).toEqual({ PATH: '/usr/bin', HOME: '/home/me', ...sdkVariables, ...location });
    });

    it('gives a declared server of a directory store no AWS_* variable', () => {
      expect(
        toolServerEnv({ env: {}, inherit: [], artifactStore: true }, '/shared/artifacts', s3Worker),
      ).toEqual({
        PATH: '/usr/bin',
        HOME: '/home/me',
        STRATA_ARTIFACT_STORE: '/shared/artifacts',
        STRATA_ARTIFACT_STORE_MODE: 'group',
      });
    });

    it('passes what `inherit` names: a prefix no credential, an exact name its credential', () => {
      expect(toolServerEnv({ env: {}, inherit: ['AWS_*'] }, 's3://study/beam', s3Worker)).toEqual({
        PATH: '/usr/bin',
        HOME: '/home/me',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_S3: 'http://minio.internal:9000',
        AWS_PROFILE: 'study',
        ...location,
      });
      expect(
        toolServerEnv(
          { env: {}, inherit: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] },
          's3://study/beam',
          s3Worker,
        ),
      ).toEqual({
        PATH: '/usr/bin',
        HOME: '/home/me',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
        ...location,
      });
    });

    it('lets a declared value win over the worker`s, but never over the store`s location', () => {
      expect(
        toolServerEnv(
          {
            env: { AWS_REGION: 'us-east-1', STRATA_ARTIFACT_STORE: '/not/the/store' },
            inherit: [],
            artifactStore: true,
          },
          's3://study/beam',
          s3Worker,
        ),
      ).toEqual({
        PATH: '/usr/bin',
        HOME: '/home/me',
        ...sdkVariables,
        AWS_REGION: 'us-east-1',
        ...location,
      });
    });
  });
});
