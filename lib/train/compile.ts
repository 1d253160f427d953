// model.compile(): resolves the optimizer (an instance built on model.parameters(), or a Keras name with
// Keras' default learning rate), the loss and the metrics, and checks they fit the model.
// Contract: unknown option names and optimizers built on other parameters are errors naming what was
// expected. Not here: the training loop (fit.ts).
import { getLoss, type Loss } from '../losses/losses';
import { Adagrad, RMSprop } from '../optim/adagrad_rmsprop';
import { Adam, AdamW } from '../optim/adam';
import { Optimizer } from '../optim/optimizer';
import { checkKeys } from '../optim/options';
import { SGD } from '../optim/sgd';
import type { Compiled, Sequential } from '../model/sequential';
import { getMetric, type Metric } from './metrics';

export interface CompileOptions {
  /** An optimizer built on model.parameters(), or 'adam' | 'adamw' | 'sgd' | 'rmsprop' | 'adagrad'. */
  optimizer: Optimizer<object> | string;
  loss: Loss | string;
  metrics?: Array<string | Metric>;
}

/** Keras' defaults for a named optimizer: SGD 0.01, Adam/AdamW 0.001, RMSprop 0.001, Adagrad 0.001. */
const OPTIMIZERS: Record<string, (m: Sequential) => Optimizer<object>> = {
  sgd: (m) => new SGD(m.parameters(), { lr: 0.01 }) as unknown as Optimizer<object>,
  adam: (m) => new Adam(m.parameters(), { lr: 0.001 }) as unknown as Optimizer<object>,
  adamw: (m) => new AdamW(m.parameters(), { lr: 0.001 }) as unknown as Optimizer<object>,
  rmsprop: (m) => new RMSprop(m.parameters(), { lr: 0.001 }) as unknown as Optimizer<object>,
  adagrad: (m) => new Adagrad(m.parameters(), { lr: 0.001 }) as unknown as Optimizer<object>,
};

export function compileModel(model: Sequential, options: CompileOptions): Compiled {
  const o = checkKeys('compile', options, ['optimizer', 'loss', 'metrics']) as Partial<CompileOptions>;
  if (o.optimizer === undefined) throw new TypeError("compile: optimizer is required (an Optimizer on model.parameters(), or 'adam', 'sgd', ...)");
  if (o.loss === undefined) throw new TypeError("compile: loss is required (e.g. 'sparseCategoricalCrossentropy' or a Loss instance)");
  let optimizer: Optimizer<object>;
  if (typeof o.optimizer === 'string') {
    const make = OPTIMIZERS[o.optimizer.toLowerCase()];
    if (!make) throw new TypeError(`compile: unknown optimizer '${o.optimizer}' (known: ${Object.keys(OPTIMIZERS).join(', ')}, or an Optimizer instance)`);
    optimizer = make(model);
  } else if (o.optimizer instanceof Optimizer) {
    optimizer = o.optimizer;
    const own = new Set(optimizer.paramGroups.flatMap((g) => g.params));
    const missing = model.parameters().filter((p) => p.trainable && !own.has(p));
    if (missing.length > 0) {
      throw new Error(`compile: the optimizer does not hold ${missing.length} of the model's trainable parameters (${missing.map((p) => p.name).join(', ')}); build it on model.parameters()`);
    }
  } else {
    throw new TypeError('compile: optimizer must be an Optimizer instance or a name');
  }
  const loss = getLoss('compile', o.loss);
  if (o.metrics !== undefined && !Array.isArray(o.metrics)) throw new TypeError('compile: metrics must be an array of names or Metric objects');
  const metrics = (o.metrics ?? []).map((m) => getMetric('compile', m, loss.name));
  return { optimizer, loss, metrics };
}
