// The OpenLineage API key stays where it belongs: in the Authorization header. A sink is named
// by its URL without user info or query string, and the key is not passed to tool servers even
// when they inherit STRATA_*.
import { describe, expect, it } from 'vitest';
import { toolServerEnv } from '../../src/executor/tool-env.js';
import { endpointOf, HttpSink, lineageSettingsOf } from '../../src/openlineage/index.js';

describe('the OpenLineage API key', () => {
  it('is not part of a sink id', () => {
    const sink = new HttpSink(new URL('https://lineage.example/api/v1/lineage?token=abc'), 'k-123');
    expect(sink.id).toBe('https://lineage.example/api/v1/lineage');
    const settings = lineageSettingsOf({ url: 'https://lineage.example', apiKey: 'k-123' });
    expect(JSON.stringify(settings)).not.toContain('k-123');
  });

  it('adds /api/v1/lineage to a URL without a path only', () => {
    expect(endpointOf('http://localhost:5000').href).toBe('http://localhost:5000/api/v1/lineage');
    expect(endpointOf('http://host/custom/path').href).toBe('http://host/custom/path');
  });

  it('is not inherited by tool servers', () => {
    const env = toolServerEnv({ env: {}, inherit: ['STRATA_*'] }, '/tmp/artifacts', {
      PATH: '/bin',
      STRATA_OPENLINEAGE_API_KEY: 'k-123',
    });
    expect(Object.values(env)).not.toContain('k-123');
  });
});
