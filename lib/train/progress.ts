// fit's progress output: a cli-progress bar per epoch on a TTY (epoch, step, loss, metrics, ETA), one
// plain line per epoch otherwise (logs, CI), nothing with verbose 0. verbose 2 prints the lines even on a
// TTY (Keras). Contract: writes only to the given stream (stdout by default). Not here: the logs' values.
import * as cliProgress from 'cli-progress';
import { Callback, type Logs } from './callbacks';

/** "loss: 0.1234 - accuracy: 0.9650" (Keras' order: the logs' own order). */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => `${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`).join(' - ');
}

export class ProgressLogger extends Callback {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  private readonly tty: boolean;

  constructor(private readonly verbose: number, private readonly stream: NodeJS.WriteStream = process.stdout) {
    super();
    this.tty = verbose === 1 && stream.isTTY === true;
  }

  onEpochBegin(epoch: number): void {
    this.started = performance.now();
    if (!this.tty) return;
    const epochs = this.params!.epochs;
    this.bar = new cliProgress.SingleBar({
      format: `Epoch ${epoch + 1}/${epochs} |{bar}| {value}/{total} | ETA {eta_formatted} | {metrics}`,
      stream: this.stream, hideCursor: true, clearOnComplete: false, etaBuffer: 20, fps: 10, barsize: 20,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(this.params!.steps, 0, { metrics: '' });
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.bar?.update(batch + 1, { metrics: formatLogs(logs) });
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    if (this.bar) {
      this.bar.update(this.params!.steps, { metrics: `${seconds}s - ${formatLogs(logs)}` });
      this.bar.stop();
      this.bar = null;
      return;
    }
    this.stream.write(`Epoch ${epoch + 1}/${this.params!.epochs} - ${seconds}s - ${formatLogs(logs)}\n`);
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
