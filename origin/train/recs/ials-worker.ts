/**
 * A worker thread of an iALS team (ials-team.ts): waits for each step's generation, runs its share, counts
 * itself done. Runs as its own module in a worker_thread, so it imports only the kernels.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CONTROL, runShare, TEAM_COMMANDS, type TeamState } from "./ials-team.ts";

const { state, control, share, shares } = workerData as {
  state: TeamState;
  control: Int32Array;
  share: number;
  shares: number;
};

let generation = 0;
Atomics.add(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
for (;;) {
  Atomics.wait(control, CONTROL.generation, generation);
  generation = Atomics.load(control, CONTROL.generation);
  const command = Atomics.load(control, CONTROL.command);
  if (command === TEAM_COMMANDS.exit) {
    break;
  }
  try {
    runShare(state, command, share, shares);
  } catch (error) {
    Atomics.add(control, CONTROL.failed, 1);
    parentPort?.postMessage({ error: String(error) });
  }
  Atomics.add(control, CONTROL.done, 1);
  Atomics.notify(control, CONTROL.done);
}
