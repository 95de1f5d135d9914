// `strata mcp` reloading its definitions. The MCP session over stdio belongs to one process and
// begins with an `initialize` handshake, so the process that speaks to the client cannot simply
// be replaced: this one keeps the client's stdio and relays newline-delimited JSON-RPC to a child
// `strata mcp --no-reload`. When the definitions change, a new child starts, gets the client's
// `initialize` again (its answer is not relayed) and takes every new request; the previous child
// answers the requests it had, then its input ends and it exits. A child whose definitions do not
// load exits during its handshake: the previous one keeps serving, and stderr says so.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { watchDefinitions } from './definitions-watch.js';

/** The id of the handshake replayed to a new child (never one a client uses). */
const REPLAY_ID_PREFIX = 'strata-reload-';

interface JsonRpcMessage {
  readonly id?: string | number | null;
  readonly method?: string;
}

/** One child `strata mcp --no-reload` and the client requests it has yet to answer. */
interface McpChild {
  readonly process: ChildProcessByStdio<Writable, Readable, null>;
  readonly pending: Set<string | number>;
  /** Resolves with its exit status. */
  readonly exited: Promise<number>;
}

/** What the proxy needs from the command. */
export interface McpReloadOptions {
  readonly definitionsFile: string;
  /** The command line of a child: node and its arguments. */
  readonly childCommand: readonly string[];
  readonly input: Readable;
  readonly output: Writable;
  note(line: string): void;
}

function parse(line: string): JsonRpcMessage | undefined {
  try {
    const message = JSON.parse(line) as unknown;
    return typeof message === 'object' && message !== null
      ? (message as JsonRpcMessage)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Relays the client's MCP session to children, replacing them on definitions changes. */
export async function relayMcpWithReload(options: McpReloadOptions): Promise<number> {
  const { output, note } = options;
  let initialize: string | undefined;
  let initialized: string | undefined;
  let replays = 0;

  const startChild = (onLine: (child: McpChild, line: string) => void): McpChild => {
    const [command, ...args] = options.childCommand;
    const process_ = spawn(command!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const child: McpChild = {
      process: process_,
      pending: new Set(),
      exited: new Promise((resolve) =>
        process_.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128 + 15))),
      ),
    };
    process_.stdin.on('error', () => undefined); // a child that exited: its exit is handled
    createInterface({ input: process_.stdout }).on('line', (line) => onLine(child, line));
    return child;
  };

  /** Relays a child's line to the client, settling the request it answers. */
  const relay = (child: McpChild, line: string): void => {
    const message = parse(line);
    if (message?.id !== undefined && message.id !== null && message.method === undefined)
      child.pending.delete(message.id);
    output.write(`${line}\n`);
    if (child !== active && child.pending.size === 0) child.process.stdin.end();
  };

  let active = startChild(relay);
  let stopping = false;

  const reload = (files: readonly string[]): void => {
    if (stopping || initialize === undefined) return; // nothing to replay yet: the next start loads them
    const id = `${REPLAY_ID_PREFIX}${++replays}`;
    const handshake = { ...(JSON.parse(initialize) as Record<string, unknown>), id };
    let ready = false;
    const next = startChild((child, line) => {
      if (!ready) {
        if (parse(line)?.id !== id) return;
        ready = true;
        if (initialized !== undefined) child.process.stdin.write(`${initialized}\n`);
        const previous = active;
        active = child;
        if (previous.pending.size === 0) previous.process.stdin.end();
        note(`strata mcp: reloaded the definitions (${files.join(', ')})`);
        return;
      }
      relay(child, line);
    });
    next.process.stdin.write(`${JSON.stringify(handshake)}\n`);
    void next.exited.then((code) => {
      if (!ready)
        note(
          `strata mcp: the changed definitions (${files.join(', ')}) did not load (exit ${code}); still serving the previous ones`,
        );
    });
  };
  const watch = await watchDefinitions(options.definitionsFile, reload);

  createInterface({ input: options.input })
    .on('line', (line) => {
      const message = parse(line);
      if (message?.method === 'initialize') initialize = line;
      if (message?.method === 'notifications/initialized') initialized = line;
      if (message?.id !== undefined && message.id !== null && message.method !== undefined)
        active.pending.add(message.id);
      active.process.stdin.write(`${line}\n`);
    })
    .once('close', () => {
      // The client is gone: so is every child, once it has answered.
      stopping = true;
      watch.close();
      active.process.stdin.end();
    });

  // The session ends with the active child (the client closed it, or it failed).
  for (;;) {
    const current = active;
    const code = await current.exited;
    if (current === active) {
      stopping = true;
      watch.close();
      return code;
    }
  }
}
