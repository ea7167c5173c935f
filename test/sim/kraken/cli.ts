// Runs the loopback Kraken simulator on its own: `tsx test/sim/kraken/cli.ts [--port N]
// [--tick-ms N]`. Prints one line with its URLs once listening (the demo launcher waits for it).
import { parseArgs } from 'node:util';
import { KrakenSimulator } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'tick-ms': { type: 'string', default: '100' } } });
const sim = await KrakenSimulator.start({ port: Number(values.port), tickMs: Number(values['tick-ms']) });
process.stdout.write(`Kraken simulator listening: ws ${sim.wsUrl} rest ${sim.restUrl}\n`);
const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
