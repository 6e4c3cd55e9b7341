import os from "node:os";

export interface MachineInfo {
  readonly cpuModel: string;
  /** Logical cores as Node sees them. */
  readonly cores: number;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly node: string;
  readonly v8: string;
  /** 1-minute load average when the run started: a busy machine explains odd absolute numbers. */
  readonly loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    osRelease: os.release(),
    node: process.version,
    v8: process.versions.v8,
    loadAverage1m: os.loadavg()[0] ?? 0,
  };
}

export function describeMachine(info: MachineInfo): string {
  const gib = (info.totalMemoryBytes / 1024 ** 3).toFixed(1);
  return [
    `CPU     ${info.cpuModel} (${info.cores} logical cores)`,
    `Memory  ${gib} GiB`,
    `OS      ${info.platform} ${info.arch} ${info.osRelease}`,
    `Node    ${info.node} (V8 ${info.v8})`,
    `Load    ${info.loadAverage1m.toFixed(2)} (1-min average at start)`,
  ].join("\n");
}
