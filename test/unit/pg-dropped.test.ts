/**
 * A PostgreSQL backend terminated as it starts sends the end of the handshake and its FATAL in one packet.
 * The store's client then has no statement in flight, so the driver emits 'error' on the client before
 * any code after `await pool.connect()` runs: with no listener that ended the process (a queue worker under
 * pg_terminate_backend, CI stop 18). A fake server sends exactly those bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { openStore } from '../../src/store/index.js';

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function fatal(code: string, text: string): Buffer {
  const field = (k: string, v: string) => Buffer.from(`${k}${v}\0`, 'utf8');
  return message('E', Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', text), Buffer.from([0])]));
}

describe('PostgreSQL store: a connection dropped right after the handshake', () => {
  it('fails the open with an error instead of ending the process', async () => {
    const sockets = new Set<Socket>();
    let handshakes = 0;
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => {
        handshakes++;
        const authOk = message('R', Buffer.from([0, 0, 0, 0]));
        const ready = message('Z', Buffer.from('I'));
        // One write: the client parses all three messages in one go.
        socket.end(Buffer.concat([authOk, ready, fatal('57P01', 'terminating connection due to administrator command')]));
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const uncaught: Error[] = [];
    const onUncaught = (err: Error) => uncaught.push(err);
    // The test runner would report an uncaught error against this test anyway; collecting it makes the
    // assertion say what happened.
    process.prependListener('uncaughtException', onUncaught);
    try {
      await assert.rejects(openStore(`postgres://whosaid@127.0.0.1:${port}/test`), (err: Error) => {
        assert.match(err.message, /^cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/test: terminating connection due to administrator command$/);
        return true;
      });
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(handshakes >= 1, 'the store reached the fake server');
      assert.deepEqual(uncaught.map((e) => e.message), []);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
