// The machine line printed with every result: figures only compare within one run on one machine.
import { readFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** The load average when the run started: other work on a shared machine skews everything. */
  loadAverage: string;
}

export async function machine(): Promise<Machine> {
  const load = await readFile('/proc/loadavg', 'utf8').then((text) => text.split(' ').slice(0, 3).join(' '), () => 'unknown');
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadAverage: load,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, load average ${m.loadAverage} at start`;
}
