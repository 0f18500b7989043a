/**
 * Reading other processes from /proc for the benchmarks' memory figures (Linux only): the workerd that
 * Miniflare started as a child of a given process, and a process's resident set size.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The pid of the workerd process whose parent is `parentPid`; throws when there is none. */
export function workerdChildOf(parentPid: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === parentPid) {
        return Number(entry);
      }
    } catch {
      // The process ended between listing and reading: not ours.
    }
  }
  throw new Error(`no workerd child of process ${parentPid} found`);
}

/** Resident set size of `pid` in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** CPU time `pid` has used so far (user + system), in seconds; /proc counts it in clock ticks of 10 ms. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 once pid and comm are cut off.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
