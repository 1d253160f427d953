// model.save / loadModel: a Sequential in the SGRD container — architecture (layer classes and configs),
// weights (and BatchNorm running statistics), optionally the compiled loss/metrics, the optimizer state,
// a scheduler's stateDict and a fitted scaler. Contract: load(save(m)) predicts bit-identically and
// continues training identically when the optimizer was included. Not here: the byte layout (container.ts).
import * as fs from 'node:fs';
import type { FloatArray } from '../backend/backend';
import { layerFromConfig, layerToConfig, type LayerFactory, type LayerRecord } from '../layers/registry';
import { getLoss } from '../losses/losses';
import { Adagrad, RMSprop } from '../optim/adagrad_rmsprop';
import { Adam, AdamW } from '../optim/adam';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer';
import { checkKeys, type LrValue } from '../optim/options';
import type { Parameter } from '../optim/parameter';
import { SGD } from '../optim/sgd';
import { scalerFromJSON, type Scaler, type ScalerJSON } from '../scaling/index';
import {
  CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, KerasSchedule, PiecewiseConstantDecay, PolynomialDecay,
} from '../schedules/keras';
import { Tensor } from '../tensor';
import { compileModel } from '../train/compile';
import { getMetric, isKnownMetric, type Metric } from '../train/metrics';
import { decode, encode, packTensors, unpackTensor, writeAtomic, type TensorEntry } from './container';
import { Sequential } from './sequential';

export interface SaveOptions {
  /** Save the optimizer's state (moments, step counts) so training resumes exactly (default true, as Keras);
   * false keeps only its type and hyperparameters. */
  includeOptimizer?: boolean;
  /** A scheduler whose stateDict() is saved (restore it with scheduler.loadStateDict(model.loaded.scheduler)). */
  scheduler?: { stateDict(): unknown };
  /** A fitted scaler saved beside the weights (model.loaded.scaler after loadModel). */
  scaler?: Scaler;
}

/** What loadModel found besides the model itself. */
export interface LoadedExtras { scheduler?: unknown; scaler?: Scaler }

/** Options of loadModel (Keras load_model's custom_objects and compile). */
export interface LoadOptions {
  /**
   * Custom objects by the name the file records, used before the registries: a layer's className →
   * factory(config, { name, trainable, inputShape }) as for registerLayer; a loss name → a Loss or
   * factory(config); a metric name → a Metric or factory(). A user lr schedule is re-passed after loading.
   */
  customObjects?: Record<string, unknown>;
  /** Restore the compiled loss, metrics and optimizer (default true); false loads architecture and weights only. */
  compile?: boolean;
}

function customObject(custom: Record<string, unknown>, name: unknown): unknown {
  return typeof name === 'string' && Object.hasOwn(custom, name) ? custom[name] : undefined;
}

/** The saved metric names as Metrics: custom objects first, then built-in and registered names. */
function restoreMetrics(where: string, names: unknown, custom: Record<string, unknown>, lossName: string): Metric[] {
  if (!Array.isArray(names)) throw new Error(`${where}: the header's compile.metrics is not a list`);
  return names.map((name) => {
    const c = customObject(custom, name);
    if (c !== undefined) return getMetric(where, typeof c === 'function' ? (c as () => unknown)() : c, lossName);
    if (typeof name === 'string' && isKnownMetric(name)) return getMetric(where, name, lossName);
    throw new Error(`${where}: the model was compiled with the metric ${JSON.stringify(name)}, which is not built in: ` +
      `pass it as loadModel(file, { customObjects: { ${JSON.stringify(name)}: () => new YourMetric() } }), ` +
      'register it with registerMetric, or load with { compile: false }');
  });
}

interface Header {
  format: 'simdgrad.model'; payloadBytes: number;
  model: { className: 'Sequential'; name: string; seed: number; dtype: 'float32' | 'float64'; layers: LayerRecord[] };
  tensors: TensorEntry[];
  weights: Array<{ name: string; shape: number[]; tensor: number }>;
  compile?: { loss: { name: string; config: Record<string, unknown> }; metrics: string[] };
  optimizer?: { json: OptimizerStateDict['json']; buffers: number[]; lrSchedule?: ReturnType<KerasSchedule['stateDict']> };
  scheduler?: unknown;
  scaler?: ScalerJSON;
}

export async function saveModel(model: Sequential, file: string, options: SaveOptions = {}): Promise<void> {
  const o = checkKeys('save', options, ['includeOptimizer', 'scheduler', 'scaler']) as SaveOptions;
  if (typeof file !== 'string' || file === '') throw new TypeError('save: path must be a non-empty string');
  const arrays: FloatArray[] = [];
  const weights = model.layers.flatMap((l) => [
    ...l.parameters().map((p) => ({ name: `${l.name}/${p.name}`, shape: p.value.shape.slice(), tensor: arrays.push(p.value.data) - 1 })),
    ...l.stateArrays().map((s, i) => ({ name: `${l.name}/state${i}`, shape: [s.length], tensor: arrays.push(s) - 1 })),
  ]);
  const header: Omit<Header, 'tensors' | 'payloadBytes'> & Partial<Header> = {
    format: 'simdgrad.model',
    model: { className: 'Sequential', name: model.name, seed: model.seed, dtype: model.dtype, layers: model.layers.map(layerToConfig) },
    weights,
  };
  const c = model.compiled;
  if (c) header.compile = { loss: { name: c.loss.name, config: c.loss.getConfig() }, metrics: c.metrics.map((m) => m.name) };
  if (c) {
    const sd = c.optimizer.stateDict();
    // Without includeOptimizer only the type and hyperparameters are kept: a loaded model resumes with fresh state.
    header.optimizer = (o.includeOptimizer ?? true)
      ? { json: sd.json, buffers: sd.buffers.map((b) => arrays.push(b) - 1) }
      : { json: { ...sd.json, iterations: 0, state: {} }, buffers: [] };
    // A Keras schedule given as lr is saved by its class name and config, and rebuilt on load.
    const lr = c.optimizer.paramGroups[0]?.lr;
    if (lr instanceof KerasSchedule) header.optimizer.lrSchedule = lr.stateDict();
  }
  if (o.scheduler) header.scheduler = o.scheduler.stateDict();
  if (o.scaler) header.scaler = o.scaler.toJSON();
  const { entries, payload } = packTensors(arrays);
  header.tensors = entries;
  header.payloadBytes = payload.length;
  await writeAtomic(file, encode(header, payload));
}

const SCHEDULES: Record<string, new (config: never) => KerasSchedule> = {
  ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts,
};

function restoreSchedule(where: string, sd: ReturnType<KerasSchedule['stateDict']>): KerasSchedule {
  const Cls = SCHEDULES[sd?.type];
  if (!Cls) throw new Error(`${where}: saved lr schedule type ${JSON.stringify(sd?.type)} is unknown`);
  const schedule = new Cls(sd.config as never);
  schedule.loadStateDict(sd);
  return schedule;
}

const OPTIMIZERS: Record<string, (ps: Parameter[], lr: LrValue) => Optimizer<object>> = {
  SGD: (ps, lr) => new SGD(ps, { lr }) as unknown as Optimizer<object>,
  Adam: (ps, lr) => new Adam(ps, { lr }) as unknown as Optimizer<object>,
  AdamW: (ps, lr) => new AdamW(ps, { lr }) as unknown as Optimizer<object>,
  RMSprop: (ps, lr) => new RMSprop(ps, { lr }) as unknown as Optimizer<object>,
  Adagrad: (ps, lr) => new Adagrad(ps, { lr }) as unknown as Optimizer<object>,
};

/** Rebuilds the optimizer of a saved model (one group over all parameters) and loads its state. */
function restoreOptimizer(where: string, model: Sequential, saved: NonNullable<Header['optimizer']>, tensors: FloatArray[]): Optimizer<object> {
  const make = OPTIMIZERS[saved.json?.type];
  if (!make) throw new Error(`${where}: saved optimizer type ${JSON.stringify(saved.json?.type)} is unknown`);
  const lr0 = saved.json.paramGroups[0]?.lr;
  // A saved Keras schedule is rebuilt (it is evaluated at the restored optimizer.iterations); a
  // schedule of the user's own class cannot be: re-pass it after loading.
  const lr: LrValue = saved.lrSchedule ? restoreSchedule(where, saved.lrSchedule) : typeof lr0 === 'number' ? lr0 : 1e-3;
  const opt = make(model.parameters(), lr);
  if (saved.json.paramGroups.length !== 1) throw new Error(`${where}: the saved optimizer has ${saved.json.paramGroups.length} parameter groups; loadModel restores one`);
  opt.loadStateDict({ json: saved.json, buffers: saved.buffers.map((i) => tensors[i]!) });
  return opt;
}

/**
 * Loads a model saved by model.save(); extras (scheduler state, scaler) are on model.loaded. Custom
 * layers, losses and metrics are found in options.customObjects, then in registerLayer / registerLoss /
 * registerMetric; a compiled model with an unknown one is an error naming it.
 */
export async function loadModel(file: string, options: LoadOptions = {}): Promise<Sequential> {
  const where = `loadModel(${JSON.stringify(file)})`;
  const o = checkKeys('loadModel', options, ['customObjects', 'compile']) as LoadOptions;
  const custom = o.customObjects ?? {};
  if (typeof custom !== 'object' || custom === null) throw new TypeError(`${where}: customObjects must be an object of name → object`);
  if (o.compile !== undefined && typeof o.compile !== 'boolean') throw new TypeError(`${where}: compile must be a boolean`);
  const { header: raw, payload } = decode(await fs.promises.readFile(file), where);
  const h = raw as unknown as Header;
  if (h.format !== 'simdgrad.model' || h.model?.className !== 'Sequential' || !Array.isArray(h.model.layers) || !Array.isArray(h.tensors) || !Array.isArray(h.weights)) {
    throw new Error(`${where}: the header does not describe a Sequential model`);
  }
  const tensors = h.tensors.map((e, i) => unpackTensor(payload, e, String(i)));
  const layers = h.model.layers.map((r, i) => {
    const c = customObject(custom, r?.className);
    if (c !== undefined && typeof c !== 'function') throw new TypeError(`${where}: customObjects[${JSON.stringify(r.className)}] must be a layer factory (config, common) => Layer`);
    return layerFromConfig(r, i === 0, c as LayerFactory | undefined);
  });
  const model = new Sequential(layers, { seed: h.model.seed, dtype: h.model.dtype, name: h.model.name });
  const ws = h.weights.map((w) => {
    const t = tensors[w.tensor];
    if (t === undefined) throw new Error(`${where}: weight ${w.name} refers to missing tensor ${w.tensor}`);
    return new Tensor(t, w.shape);
  });
  model.setWeights(ws);
  if (h.compile && o.compile !== false) {
    const lossRec = h.compile.loss, cl = customObject(custom, lossRec?.name);
    // getLoss takes a Loss instance or a saved { name, config }; a custom factory is called first
    const loss = getLoss(where, typeof cl === 'function' ? (cl as (config?: Record<string, unknown>) => unknown)(lossRec.config) : cl ?? lossRec);
    const metrics = restoreMetrics(where, h.compile.metrics, custom, loss.name);
    const optimizer = h.optimizer ? restoreOptimizer(where, model, h.optimizer, tensors) : 'adam';
    model.compiled = compileModel(model, { optimizer, loss, metrics });
  }
  const extras: LoadedExtras = {};
  if (h.scheduler !== undefined) extras.scheduler = h.scheduler;
  if (h.scaler !== undefined) extras.scaler = scalerFromJSON(h.scaler);
  model.loaded = extras;
  return model;
}
