// Layer classes by name, for rebuilding a model from its saved architecture (model_io.ts) and for the
// float64 copy gradCheck makes. Contract: layerFromConfig(layerToConfig(l)) builds an equivalent,
// unbuilt layer; custom layer classes join with registerLayer(name, factory). Not here: weights.
import { Activation, ELU, GELU, LeakyReLU, PReLU, ReLU, RReLU, Softmax } from './activation_layers';
import { BatchNorm, Dropout, Flatten } from './core_layers';
import { Dense } from './dense';
import type { Layer } from './layer';

export interface LayerRecord {
  className: string;
  name: string;
  trainable: boolean;
  inputShape: number[] | null;
  config: Record<string, unknown>;
}

export type LayerFactory = (config: Record<string, unknown>, common: { name: string; trainable: boolean; inputShape?: number[] }) => Layer;

const registry = new Map<string, LayerFactory>([
  ['Dense', (c, o) => { const { units, ...rest } = c; return new Dense(units as number, { ...rest, ...o }); }],
  ['Activation', (c, o) => new Activation({ ...c, ...o } as never)],
  ['ReLU', (_c, o) => new ReLU(o)],
  ['LeakyReLU', (c, o) => new LeakyReLU({ ...c, ...o })],
  ['ELU', (c, o) => new ELU({ ...c, ...o })],
  ['GELU', (c, o) => new GELU({ ...c, ...o })],
  ['Softmax', (_c, o) => new Softmax(o)],
  ['PReLU', (c, o) => new PReLU({ ...c, ...o })],
  ['RReLU', (c, o) => new RReLU({ ...c, ...o })],
  ['Dropout', (c, o) => new Dropout(c.rate as number, o)],
  ['Flatten', (_c, o) => new Flatten(o)],
  ['BatchNorm', (c, o) => new BatchNorm({ ...c, ...o })],
]);

/** Makes a custom layer class loadable: factory(config, { name, trainable, inputShape }). */
export function registerLayer(className: string, factory: LayerFactory): void {
  if (typeof className !== 'string' || typeof factory !== 'function') throw new TypeError('registerLayer: expected (className: string, factory: function)');
  registry.set(className, factory);
}

export function layerToConfig(l: Layer): LayerRecord {
  return { className: l.className, name: l.name, trainable: l.trainable, inputShape: l.inputShape ? l.inputShape.slice() : null, config: l.getConfig() };
}

/** Builds a layer from its record, with `factory` (a custom object) in place of the registry's if given. */
export function layerFromConfig(r: LayerRecord, withInputShape: boolean, factory?: LayerFactory): Layer {
  const make = factory ?? registry.get(r?.className);
  if (!make) throw new TypeError(`unknown layer class ${JSON.stringify(r?.className)} (custom layers: registerLayer, or loadModel's customObjects)`);
  const common = { name: r.name, trainable: r.trainable, ...(withInputShape && r.inputShape ? { inputShape: r.inputShape } : {}) };
  return make(r.config, common);
}
