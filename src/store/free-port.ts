// TCP ports on 127.0.0.1 for the embedded server: is one free, and which one is free.
import net from 'node:net';
import { EnvironmentError } from '../errors.js';

/** Resolves with the port a listener got (0 = any free port), or undefined if it is taken. */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await tryListen(port)) !== undefined;
}

/** A port on 127.0.0.1 that is free right now (chosen by the OS). */
export async function findFreePort(): Promise<number> {
  const port = await tryListen(0);
  if (port === undefined) {
    throw new EnvironmentError('Could not bind any TCP port on 127.0.0.1 for PostgreSQL.', {
      hint: 'Check the loopback interface, or set DATABASE_URL to use another PostgreSQL server.',
    });
  }
  return port;
}
