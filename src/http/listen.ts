/** Binding the HTTP port, with the usual refusals told in one line instead of a stack trace. */
import { createServer, type Server } from 'node:http';
import { StartupError } from '../startup-error';

function refusal(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new StartupError(`port ${port} is already in use (another server, or a second \`npm start\`?): stop it, or set PORT to a free port`);
  if (code === 'EACCES') return new StartupError(`port ${port} needs privileges this process does not have: set PORT to 1024 or above`);
  return error;
}

/** `host` null: every interface (Node's default). */
export function listen(server: Server, port: number, host: string | null = null): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: unknown) => reject(refusal(error, port));
    server.once('error', failed);
    server.listen({ port, host: host ?? undefined }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** Fails at once when the port is taken, before minutes of migrations and seeding; `listen` still decides. */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, port);
  await new Promise((resolve) => probe.close(resolve));
}
