// Runs the loopback OKX simulator on its own: `tsx test/sim/okx/cli.ts [--port N]
// [--mode generated|replay] [--checksum zero|real] [--no-snapshot] [--tick-ms N]`.
// Prints one line with its WebSocket base URL once listening (the demo launcher waits for it).
import { parseArgs } from 'node:util';
import type { SimInstrument } from '../core/market.js';
import { DEFAULT_INSTRUMENTS, OkxSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    mode: { type: 'string', default: 'generated' },
    checksum: { type: 'string', default: 'zero' },
    'no-snapshot': { type: 'boolean', default: false },
    'tick-ms': { type: 'string', default: '100' },
    speed: { type: 'string', default: '1' },
    symbols: { type: 'string' },
  },
});
// --symbols N: the default instruments plus generated spot pairs up to N in all.
const wanted = values.symbols === undefined ? DEFAULT_INSTRUMENTS.length : Number(values.symbols);
const instruments: SimInstrument[] = [...DEFAULT_INSTRUMENTS];
for (let i = 1; instruments.length < wanted; i += 1) {
  instruments.push({ instId: `SIM${i}-USDT`, instType: 'SPOT', price: 10 + i, tickSz: '0.001', lotSz: '0.01' });
}
const sim = await OkxSimulator.start({
  port: Number(values.port),
  mode: values.mode === 'replay' ? 'replay' : 'generated',
  checksum: values.checksum === 'real' ? 'real' : 'zero',
  inBandSnapshot: !values['no-snapshot'],
  tickMs: Number(values['tick-ms']),
  replaySpeed: values.speed === 'max' ? Infinity : Number(values.speed),
  instruments,
});
process.stdout.write(`OKX simulator listening: ws ${sim.wsUrl} rest ${sim.restUrl}\n`);
const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
