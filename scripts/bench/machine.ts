import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

/** Where the numbers were measured: they mean little without the machine beside them. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: a loaded machine gives misleading numbers. */
  loadAverage1m: number;
  gitCommit: string | null;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux: fall through to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function gitCommit(cwd: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

export function describeMachine(projectRoot: string): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    gitCommit: gitCommit(projectRoot),
  };
}
