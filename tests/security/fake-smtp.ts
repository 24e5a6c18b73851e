import { createServer, type Server } from 'node:net';

/**
 * The least SMTP server nodemailer will deliver to (no TLS, no auth), keeping every message
 * it is given, so a test can run the server with NYCKEL_SMTP_URL and read its mails.
 */
export interface FakeSmtp {
  url: string;
  connections: () => number;
  messages: () => { to: string[]; data: string }[];
  close: () => Promise<void>;
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const messages: { to: string[]; data: string }[] = [];
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    let buffer = '';
    let data: string | null = null;
    let to: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 fake-smtp ready');
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push({ to, data: data + buffer.slice(0, end) });
          buffer = buffer.slice(end + 5);
          data = null;
          to = [];
          reply('250 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 fake-smtp');
        else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 ok');
        } else if (verb === 'DATA') {
          data = '';
          reply('354 go on');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('250 ok');
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    messages: () => [...messages],
    close: () => new Promise((done) => server.close(() => done())),
  };
}
