import fs from 'node:fs';

/**
 * Memory of another process as the kernel accounts it (Linux /proc). VmRSS is the resident set
 * now; VmHWM its peak ("high water mark") since the process started.
 */
export interface ProcMemory {
  rssMb: number;
  peakRssMb: number;
  /** Parts of the RSS: anonymous (heaps), file-backed (binary, libraries, mapped files), shared memory. */
  anonMb: number | null;
  fileMb: number | null;
  shmemMb: number | null;
}

function kbField(status: string, name: string): number | null {
  const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Number(m[1]) : null;
}

/** Memory of `pid`, or null when the process is gone or /proc is unavailable (not Linux). */
export function readProcMemory(pid: number): ProcMemory | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const rss = kbField(status, 'VmRSS');
  const hwm = kbField(status, 'VmHWM');
  if (rss === null) return null;
  const mb = (kb: number | null) => (kb === null ? null : kb / 1024);
  return {
    rssMb: rss / 1024,
    peakRssMb: (hwm ?? rss) / 1024,
    anonMb: mb(kbField(status, 'RssAnon')),
    fileMb: mb(kbField(status, 'RssFile')),
    shmemMb: mb(kbField(status, 'RssShmem')),
  };
}
