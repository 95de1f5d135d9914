// Declaring a stdio tool server (src/definitions/tool-server.ts): what it asks of the worker's
// environment and of its artifact store is kept as declared, and a malformed declaration is a
// definition error naming the field.
import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../src/errors.js';
import { mcpStdioServer } from '../../src/definitions/index.js';

describe('mcpStdioServer', () => {
  it('declares no use of the artifact store unless asked', () => {
    expect(mcpStdioServer({ command: 'node' })).toMatchObject({
      kind: 'mcp-stdio',
      inherit: [],
      env: {},
      artifactStore: false,
    });
    expect(mcpStdioServer({ command: 'node', artifactStore: true }).artifactStore).toBe(true);
  });

  it.each([
    [{ command: '' }, /command must be a non-empty string/],
    [{ command: 'node', inherit: ['AWS-KEY'] }, /inherit "AWS-KEY" is not a variable name/],
    [
      { command: 'node', artifactStore: 'yes' as unknown as boolean },
      /artifactStore must be true or false, not "yes"/,
    ],
  ])('refuses %j', (spec, message) => {
    expect(() => mcpStdioServer(spec)).toThrow(DefinitionError);
    expect(() => mcpStdioServer(spec)).toThrow(message);
  });
});
