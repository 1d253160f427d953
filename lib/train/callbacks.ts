// Training callbacks with Keras' hook names and semantics: Callback (base for custom ones), History,
// EarlyStopping (monitor, patience, minDelta, mode, baseline, restoreBestWeights), TerminateOnNaN, CSVLogger,
// ModelCheckpoint. Contract: hooks may return a Promise (fit awaits it); a callback stops training by
// setting model.stopTraining = true. Logs use Keras keys: loss, <metric>, val_loss, val_<metric>.
// Not here: the progress bar (progress.ts), TensorBoard, LR logging.
import * as fs from 'node:fs';
import { checkInt, checkKeys, checkNonNegative, checkOneOf } from '../optim/options';
import type { Sequential } from '../model/sequential';

export type Logs = Record<string, number>;

/** What fit tells callbacks before training (Keras callback.params). */
export interface FitParams { epochs: number; steps: number; samples: number; batchSize: number; verbose: number; metrics: string[] }

export class Callback {
  model: Sequential | null = null;
  params: FitParams | null = null;
  setModel(model: Sequential): void { this.model = model; }
  setParams(params: FitParams): void { this.params = params; }
  onTrainBegin(logs?: Logs): void | Promise<void> { void logs; }
  onTrainEnd(logs?: Logs): void | Promise<void> { void logs; }
  onEpochBegin(epoch: number, logs?: Logs): void | Promise<void> { void epoch; void logs; }
  onEpochEnd(epoch: number, logs?: Logs): void | Promise<void> { void epoch; void logs; }
  onBatchBegin(batch: number, logs?: Logs): void | Promise<void> { void batch; void logs; }
  onBatchEnd(batch: number, logs?: Logs): void | Promise<void> { void batch; void logs; }
}

/** Keras History: history[key][epoch]; per-batch logs too when recordBatches. fit returns it. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  /** Per-batch logs (only with fit's `recordBatches: true`). */
  batches: Logs[] = [];
  /** Why training ended early: 'callback' (stopTraining), 'aborted' (signal), or null (ran all epochs). */
  stopReason: 'callback' | 'aborted' | null = null;
  constructor(private readonly recordBatches = false) { super(); }
  onTrainBegin(): void { this.epoch = []; this.history = {}; this.batches = []; this.stopReason = null; }
  onBatchEnd(_batch: number, logs: Logs = {}): void { if (this.recordBatches) this.batches.push({ ...logs }); }
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

type Mode = 'auto' | 'min' | 'max';
/** Keras' 'auto': accuracy-like monitors ('acc', 'accuracy', 'f1', 'precision', 'recall', 'r2') are maximized. */
function resolveMode(mode: Mode, monitor: string): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc|f1|precision|recall|r2/.test(monitor) ? 'max' : 'min';
}

function monitored(where: string, monitor: string, logs: Logs | undefined): number {
  const v = logs?.[monitor];
  if (v === undefined) throw new Error(`${where}: monitor '${monitor}' is not in the logs (available: ${Object.keys(logs ?? {}).join(', ')}); val_* keys need validationSplit or validationData`);
  return v;
}

export interface EarlyStoppingOptions { monitor?: string; minDelta?: number; patience?: number; mode?: Mode; baseline?: number; restoreBestWeights?: boolean }

/** Keras EarlyStopping: stop after `patience` epochs without an improvement larger than minDelta. */
export class EarlyStopping extends Callback {
  readonly monitor: string; readonly minDelta: number; readonly patience: number; readonly mode: Mode;
  readonly baseline: number | null; readonly restoreBestWeights: boolean;
  wait = 0; stoppedEpoch = -1; best = Infinity; bestEpoch = -1;
  private bestWeights: ReturnType<Sequential['getWeights']> | null = null;
  private dir: 'min' | 'max' = 'min';

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const o = checkKeys('EarlyStopping', options, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights']) as EarlyStoppingOptions;
    this.monitor = o.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNonNegative('EarlyStopping', 'minDelta', Math.abs(o.minDelta ?? 0)));
    this.patience = checkInt('EarlyStopping', 'patience', o.patience ?? 0, 0);
    this.mode = checkOneOf('EarlyStopping', 'mode', o.mode ?? 'auto', ['auto', 'min', 'max']);
    this.baseline = o.baseline ?? null;
    this.restoreBestWeights = o.restoreBestWeights ?? false;
  }
  onTrainBegin(): void {
    this.dir = resolveMode(this.mode, this.monitor);
    this.wait = 0; this.stoppedEpoch = -1; this.bestEpoch = -1; this.bestWeights = null;
    this.best = this.baseline ?? (this.dir === 'min' ? Infinity : -Infinity);
  }
  private improved(v: number): boolean {
    return this.dir === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta;
  }
  onEpochEnd(epoch: number, logs?: Logs): void {
    const v = monitored('EarlyStopping', this.monitor, logs);
    this.wait++;
    if (this.improved(v)) {
      this.best = v; this.bestEpoch = epoch; this.wait = 0;
      if (this.restoreBestWeights) this.bestWeights = this.model!.getWeights();
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }
  /** Restores the best weights at the end of training (whether or not it stopped early). */
  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights !== null && this.bestEpoch >= 0) this.model!.setWeights(this.bestWeights);
  }
}

/** Keras TerminateOnNaN: stops at the first batch whose loss is NaN or ±Infinity. */
export class TerminateOnNaN extends Callback {
  message: string | null = null;
  constructor(private readonly print: (line: string) => void = console.error) { super(); }
  onBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.message = `Batch ${batch}: invalid loss ${loss}, terminating training. ` +
        'Scale the inputs (e.g. StandardScaler or MinMaxScaler) or lower the learning rate.';
      this.print(this.message);
      this.model!.stopTraining = true;
    }
  }
}

/** Keras CSVLogger: one row per epoch (epoch, then the log keys in order), header on the first row. */
export class CSVLogger extends Callback {
  private keys: string[] | null = null;
  constructor(readonly filename: string, private readonly options: { separator?: string; append?: boolean } = {}) {
    super();
    if (typeof filename !== 'string' || filename === '') throw new TypeError('CSVLogger: filename must be a non-empty string');
    checkKeys('CSVLogger', options, ['separator', 'append']);
  }
  onTrainBegin(): void {
    this.keys = null;
    const append = this.options.append ?? false;
    if (!append) fs.writeFileSync(this.filename, '');
    else if (fs.existsSync(this.filename) && fs.statSync(this.filename).size > 0) this.keys = [];
  }
  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const sep = this.options.separator ?? ',';
    let text = '';
    if (this.keys === null || this.keys.length === 0) {
      const fresh = this.keys === null;
      this.keys = Object.keys(logs).sort();
      if (fresh) text += ['epoch', ...this.keys].join(sep) + '\n';
    }
    text += [String(epoch), ...this.keys.map((k) => String(logs[k] ?? ''))].join(sep) + '\n';
    await fs.promises.appendFile(this.filename, text);
  }
}

export interface ModelCheckpointOptions { monitor?: string; saveBestOnly?: boolean; mode?: Mode; includeOptimizer?: boolean }

/**
 * Keras ModelCheckpoint: saves the model after each epoch (or only when `monitor` improved, saveBestOnly);
 * `{epoch}` (or Keras' zero-padded `{epoch:02d}`) in the path is replaced by the epoch number from 1.
 */
export class ModelCheckpoint extends Callback {
  readonly monitor: string; readonly saveBestOnly: boolean; readonly mode: Mode; readonly includeOptimizer: boolean;
  best = NaN;
  saved: string[] = [];
  private dir: 'min' | 'max' = 'min';
  constructor(readonly filepath: string, options: ModelCheckpointOptions = {}) {
    super();
    if (typeof filepath !== 'string' || filepath === '') throw new TypeError('ModelCheckpoint: filepath must be a non-empty string');
    const o = checkKeys('ModelCheckpoint', options, ['monitor', 'saveBestOnly', 'mode', 'includeOptimizer']) as ModelCheckpointOptions;
    this.monitor = o.monitor ?? 'val_loss';
    this.saveBestOnly = o.saveBestOnly ?? false;
    this.mode = checkOneOf('ModelCheckpoint', 'mode', o.mode ?? 'auto', ['auto', 'min', 'max']);
    this.includeOptimizer = o.includeOptimizer ?? true;
  }
  onTrainBegin(): void { this.dir = resolveMode(this.mode, this.monitor); this.best = this.dir === 'min' ? Infinity : -Infinity; }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const v = monitored('ModelCheckpoint', this.monitor, logs);
      if (!(this.dir === 'min' ? v < this.best : v > this.best)) return;
      this.best = v;
    }
    const path = this.filepath.replace(/\{epoch(?::0(\d+)d)?\}/g, (_m, w?: string) => String(epoch + 1).padStart(Number(w ?? 0), '0'));
    await this.model!.save(path, { includeOptimizer: this.includeOptimizer });
    this.saved.push(path);
  }
}
