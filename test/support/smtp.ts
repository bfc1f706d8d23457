import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Recu {
  a: string[];
  brut: string;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives; it refuses the first `refus` messages. */
export async function serveurSmtp(refus = 0) {
  const recus: Recu[] = [];
  let refuses = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const morceaux: Buffer[] = [];
      stream.on('data', (c: Buffer) => morceaux.push(c));
      stream.on('end', () => {
        if (refuses < refus) {
          refuses++;
          const e = new Error('Service momentanément indisponible') as Error & { responseCode: number };
          e.responseCode = 451;
          return callback(e);
        }
        recus.push({
          a: session.envelope.rcptTo.map((r) => r.address),
          brut: Buffer.concat(morceaux).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { recus, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
