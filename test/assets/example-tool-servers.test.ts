// How the example study's tool servers are chosen (assets/tool-servers.ts): a child process over
// stdio declared to use the artifact store by default; over HTTP at STRATA_<NAME>_URL when set,
// with the bearer token of STRATA_<NAME>_TOKEN only when that variable is set.
import { describe, expect, it } from 'vitest';
import { exampleToolServer, exampleToolServers } from '../../assets/tool-servers.js';

describe('the example study`s tool servers', () => {
  it('run over stdio by default, declared to use the artifact store', () => {
    const servers = exampleToolServers({});
    for (const [name, server] of Object.entries(servers)) {
      expect(server).toMatchObject({
        kind: 'mcp-stdio',
        artifactStore: true,
        inherit: [],
        env: {},
      });
      expect(server.kind === 'mcp-stdio' && server.args.at(-1)).toMatch(
        new RegExp(`assets/tools/${name}-server\\.ts$`),
      );
    }
  });

  it('are reached over HTTP where a URL is configured, the others staying on stdio', () => {
    const env = {
      STRATA_SOLVER_URL: 'http://fea-host:8931/mcp',
      STRATA_SOLVER_TOKEN: 'not-in-the-definition',
      STRATA_MESHER_URL: 'http://127.0.0.1:8932/mcp',
    };
    expect(exampleToolServer('solver', env)).toEqual({
      kind: 'mcp-http',
      url: 'http://fea-host:8931/mcp',
      headers: {},
      bearerTokenEnv: 'STRATA_SOLVER_TOKEN',
    });
    expect(exampleToolServer('mesher', env)).toEqual({
      kind: 'mcp-http',
      url: 'http://127.0.0.1:8932/mcp',
      headers: {},
      bearerTokenEnv: undefined,
    });
    expect(exampleToolServer('cad', env).kind).toBe('mcp-stdio');
  });
});
