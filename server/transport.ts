/**
 * The server's connection. Over IPC (how the VS Code client starts it), sockets and pipes it is
 * the library's own. Over stdio it is built here, with an encoder that reuses the JSON of
 * unchanged diagnostics between publishes (see diagnostic-encoding.ts).
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection, type ContentTypeEncoder } from 'vscode-languageserver/node';
import { encodeMessage } from './diagnostic-encoding';

const cachingJsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode(message, options) {
    try {
      return Promise.resolve(options.charset === 'utf-8' ? encodeMessage(message) : Buffer.from(JSON.stringify(message), options.charset));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};

export function createServerConnection(): Connection {
  if (!process.argv.includes('--stdio')) {
    // --node-ipc, --socket=, --pipe: chosen from the command line by the library.
    return createConnection(ProposedFeatures.all);
  }
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: cachingJsonEncoder }),
  );
  // What the library does for its own stdio connection: stdout is the protocol channel, so stray
  // console output goes to the client's log, and the server ends when its input does.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  let shutdownReceived = false;
  connection.onShutdown(() => {
    shutdownReceived = true;
  });
  const end = () => process.exit(shutdownReceived ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  return connection;
}
