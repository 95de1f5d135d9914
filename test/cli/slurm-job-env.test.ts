// The environment a worker's Slurm jobs get (src/cli/slurm-settings.ts): the definitions' path
// and the worker's state directory made absolute (the jobs run in the job directory), the basics,
// and the non-secret settings $STRATA_SLURM_EXPORT names; never a credential, nothing else.
import { describe, expect, it } from 'vitest';
import { slurmJobEnv } from '../../src/cli/slurm-settings.js';

const CWD = '/srv/project';

describe('the environment of Slurm jobs', () => {
  it('is the basics, the definitions and the state directory, absolute, and nothing else', () => {
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: '/home/u',
      DATABASE_URL: 'postgres://u:pw@db/strata',
      STRATA_CAE_WORK: '/shared/cae',
      AWS_SECRET_ACCESS_KEY: 'x',
    };
    expect(slurmJobEnv(env, CWD, '/srv/project/.strata', 'assets/index.ts')).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/u',
      STRATA_DEFINITIONS: '/srv/project/assets/index.ts',
      STRATA_HOME: '/srv/project/.strata',
    });
    expect(slurmJobEnv(env, CWD, 'state', undefined).STRATA_HOME).toBe('/srv/project/state');
  });

  it('adds the variables $STRATA_SLURM_EXPORT names, skipping unset ones', () => {
    const env = {
      STRATA_SLURM_EXPORT: 'STRATA_CAE_WORK, STRATA_BRACKET_DESIGN_SPACE,UNSET_ONE',
      STRATA_CAE_WORK: '/shared/cae',
      STRATA_BRACKET_DESIGN_SPACE: '/shared/space.json',
      STRATA_OTHER: 'not named',
    };
    expect(slurmJobEnv(env, CWD, '/s', undefined)).toEqual({
      STRATA_CAE_WORK: '/shared/cae',
      STRATA_BRACKET_DESIGN_SPACE: '/shared/space.json',
      STRATA_HOME: '/s',
    });
  });

  it.each([
    [{ STRATA_CAE_TOKEN: 'abc' }, /STRATA_CAE_TOKEN looks like a credential/],
    [{ DATABASE_URL: 'postgres://db/strata' }, /DATABASE_URL looks like a credential/],
    [{ STRATA_CAE_URL: 'https://u:pw@cae/mcp' }, /STRATA_CAE_URL looks like a credential/],
    [{ STRATA_CAE_SLURM: '{"cpus":1,"time":"5:00"}' }, /STRATA_CAE_SLURM contains a comma/],
    [{ STRATA_HOME: '/elsewhere' }, /STRATA_HOME is given to the jobs by strata itself/],
    [{ SLURM_CONF: '/etc/slurm.conf' }, /SLURM_CONF is not a variable a Slurm job may be given/],
  ])('refuses to export %o, naming the variable', (values, message) => {
    const name = Object.keys(values)[0]!;
    expect(() =>
      slurmJobEnv({ ...values, STRATA_SLURM_EXPORT: name }, CWD, '/s', undefined),
    ).toThrow(message);
  });
});
