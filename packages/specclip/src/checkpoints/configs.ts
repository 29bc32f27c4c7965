import { SchemaError, ValueError } from '@astro/core';
import type { ModelConfig, Scaling } from '@astro/core/train';
import { SpectrumTransformer } from '../encoders/spectrum-transformer.js';
import { XpAutoencoder } from '../encoders/xp-autoencoder.js';
import { patchLayout } from '../encoders/patches.js';
import { SpecClip } from '../align/spec-clip.js';
import { CrossDecoder } from '../align/cross-decoder.js';
import { EmbeddingRegressor } from '../downstream/regressor.js';
import { SpectrumLabelModel } from '../downstream/spectrum-label-model.js';

/** Schema version of every `@astro/specclip` saved model (config.json + model.safetensors). */
export const SPECCLIP_SCHEMA_VERSION = 1;

/** The `kind` written to config.json for each savable model class (`@astro/<package>/<Model>`). */
export const SPECCLIP_KINDS = {
  SpectrumTransformer: '@astro/specclip/SpectrumTransformer',
  XpAutoencoder: '@astro/specclip/XpAutoencoder',
  SpecClip: '@astro/specclip/SpecClip',
  EmbeddingRegressor: '@astro/specclip/EmbeddingRegressor',
  CrossDecoder: '@astro/specclip/CrossDecoder',
  SpectrumLabelModel: '@astro/specclip/SpectrumLabelModel',
} as const;

/** Kinds written before the house naming scheme, mapped to the current ones (still read). */
export const LEGACY_SPECCLIP_KINDS: Readonly<Record<string, string>> = {
  'specclip.spectrum-transformer': SPECCLIP_KINDS.SpectrumTransformer,
  'specclip.xp-autoencoder': SPECCLIP_KINDS.XpAutoencoder,
  'specclip.clip': SPECCLIP_KINDS.SpecClip,
  'specclip.embedding-regressor': SPECCLIP_KINDS.EmbeddingRegressor,
  'specclip.cross-decoder': SPECCLIP_KINDS.CrossDecoder,
  'specclip.spectrum-label-model': SPECCLIP_KINDS.SpectrumLabelModel,
};

/** Model classes that can be saved, by name. */
export interface SpecclipModels {
  SpectrumTransformer: SpectrumTransformer;
  XpAutoencoder: XpAutoencoder;
  SpecClip: SpecClip;
  EmbeddingRegressor: EmbeddingRegressor;
  CrossDecoder: CrossDecoder;
  SpectrumLabelModel: SpectrumLabelModel;
}
/** Name of a savable model class. */
export type SpecclipModelName = keyof SpecclipModels;
/** Any savable model. */
export type SpecclipModel = SpecclipModels[SpecclipModelName];

type Hyper = Record<string, unknown>;

function transformerHyper(m: SpectrumTransformer): Hyper {
  const { pixels, window, stride } = m.layout;
  return { pixels, window, stride, dim: m.dim, depth: m.depth, heads: m.heads, attentionScale: m.attentionScale };
}
function autoencoderHyper(m: XpAutoencoder): Hyper {
  return { inputs: m.inputs, hidden: [...m.hidden], latent: m.latent };
}
function labelScaling(mean: Float64Array, scale: Float64Array, units: string | string[]): Scaling {
  return { unit: units, type: 'standard', mean: Array.from(mean), std: Array.from(scale) };
}

function num(h: Hyper, key: string): number {
  const v = h[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new SchemaError(`config.json: hyperParameters.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}
function nums(h: Hyper, key: string): number[] {
  const v = h[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new SchemaError(`config.json: ${key} must be an array of numbers`);
  return v as number[];
}
function obj(h: Hyper, key: string): Hyper {
  const v = h[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new SchemaError(`config.json: hyperParameters.${key} must be an object`);
  return v as Hyper;
}

function buildTransformer(h: Hyper): SpectrumTransformer {
  const scale = h['attentionScale'] ?? 'standard';
  if (scale !== 'standard' && scale !== 'specformer')
    throw new SchemaError(`config.json: attentionScale must be 'standard' or 'specformer', got ${JSON.stringify(scale)}`);
  return new SpectrumTransformer({
    layout: patchLayout(num(h, 'pixels'), num(h, 'window'), num(h, 'stride')),
    dim: num(h, 'dim'),
    depth: num(h, 'depth'),
    heads: num(h, 'heads'),
    attentionScale: scale,
  });
}
function buildAutoencoder(h: Hyper): XpAutoencoder {
  return new XpAutoencoder({ inputs: num(h, 'inputs'), hidden: nums(h, 'hidden'), latent: num(h, 'latent') });
}

/** Name of the class of a savable model. @throws {ValueError} for anything else. */
export function modelName(model: SpecclipModel): SpecclipModelName {
  if (model instanceof SpectrumTransformer) return 'SpectrumTransformer';
  if (model instanceof XpAutoencoder) return 'XpAutoencoder';
  if (model instanceof SpecClip) return 'SpecClip';
  if (model instanceof EmbeddingRegressor) return 'EmbeddingRegressor';
  if (model instanceof CrossDecoder) return 'CrossDecoder';
  if (model instanceof SpectrumLabelModel) return 'SpectrumLabelModel';
  throw new ValueError(`not a savable @astro/specclip model: ${(model as object).constructor.name}`);
}

/**
 * config.json of a model: `kind`, `schemaVersion`, the hyper-parameters that rebuild its
 * architecture, and (for heads and decoders) the label / flux scalings with units.
 * `labelUnits` names the units of a regressor's labels (default `'label units'`).
 */
export function modelConfig(model: SpecclipModel, labelUnits: string | string[] = 'label units'): ModelConfig {
  const name = modelName(model);
  const base = { kind: SPECCLIP_KINDS[name], schemaVersion: SPECCLIP_SCHEMA_VERSION };
  if (model instanceof SpectrumTransformer) return { ...base, hyperParameters: transformerHyper(model) };
  if (model instanceof XpAutoencoder) return { ...base, hyperParameters: autoencoderHyper(model) };
  if (model instanceof SpecClip) {
    return {
      ...base,
      hyperParameters: {
        high: transformerHyper(model.high),
        low: autoencoderHyper(model.low),
        embedDim: model.embedDim,
        logitScale: model.logLogitScale ? 'learnable' : 'fixed',
        privateDim: model.privateDim,
        decoders: model.highDecoder ? { hidden: [...model.decoderHidden], cross: model.crossDecoder !== null } : null,
      },
    };
  }
  if (model instanceof EmbeddingRegressor) {
    return {
      ...base,
      hyperParameters: { inputs: model.inputs, outputs: model.outputs, hidden: [...model.hidden] },
      scalings: { labels: labelScaling(model.labelMean, model.labelScale, labelUnits) },
    };
  }
  if (model instanceof CrossDecoder) {
    return {
      ...base,
      hyperParameters: { embedDim: model.embedDim, pixels: model.pixels, hidden: [...model.hidden] },
      scalings: { flux: { unit: 'normalised flux', type: 'offset', mean: Array.from(model.meanFlux) } },
    };
  }
  return {
    ...base,
    hyperParameters: { encoder: transformerHyper(model.encoder), outputs: model.head.outputs, hidden: [...model.head.hidden] },
    scalings: { labels: labelScaling(model.head.labelMean, model.head.labelScale, labelUnits) },
  };
}

function scalingArrays(config: ModelConfig, key: string, fields: string[], length: number): Float64Array[] {
  const s = config.scalings?.[key];
  if (!s) throw new SchemaError(`config.json: '${config.kind}' needs scalings.${key}`);
  return fields.map((f) => {
    const a = nums(s as Hyper, f);
    if (a.length !== length) throw new SchemaError(`config.json: scalings.${key}.${f} has ${a.length} values, expected ${length}`);
    return Float64Array.from(a);
  });
}

/**
 * Build an untrained model of the architecture a config describes (weights are loaded after),
 * restoring non-parameter state (label scalings, the decoder's mean flux).
 * @throws {SchemaError} for an unknown kind or missing/ill-typed hyper-parameters.
 */
export function buildFromConfig(config: ModelConfig): SpecclipModel {
  const h = (config.hyperParameters ?? {}) as Hyper;
  switch (config.kind) {
    case SPECCLIP_KINDS.SpectrumTransformer:
      return buildTransformer(h);
    case SPECCLIP_KINDS.XpAutoencoder:
      return buildAutoencoder(h);
    case SPECCLIP_KINDS.SpecClip: {
      const mode = h['logitScale'];
      if (mode !== 'fixed' && mode !== 'learnable')
        throw new SchemaError(`config.json: logitScale must be 'fixed' or 'learnable', got ${JSON.stringify(mode)}`);
      const dec = h['decoders'] ? obj(h, 'decoders') : null;
      return new SpecClip(buildTransformer(obj(h, 'high')), buildAutoencoder(obj(h, 'low')), {
        embedDim: num(h, 'embedDim'),
        logitScale: mode,
        privateDim: h['privateDim'] === undefined ? 0 : num(h, 'privateDim'),
        ...(dec ? { decoders: { hidden: nums(dec, 'hidden'), cross: dec['cross'] === true } } : {}),
      });
    }
    case SPECCLIP_KINDS.EmbeddingRegressor: {
      const m = new EmbeddingRegressor({ inputs: num(h, 'inputs'), outputs: num(h, 'outputs'), hidden: nums(h, 'hidden') });
      [m.labelMean, m.labelScale] = scalingArrays(config, 'labels', ['mean', 'std'], m.outputs) as [Float64Array, Float64Array];
      return m;
    }
    case SPECCLIP_KINDS.CrossDecoder: {
      const m = new CrossDecoder({ embedDim: num(h, 'embedDim'), pixels: num(h, 'pixels'), hidden: nums(h, 'hidden') });
      m.meanFlux = Float32Array.from(scalingArrays(config, 'flux', ['mean'], m.pixels)[0]!);
      return m;
    }
    case SPECCLIP_KINDS.SpectrumLabelModel: {
      const m = new SpectrumLabelModel(buildTransformer(obj(h, 'encoder')), { outputs: num(h, 'outputs'), hidden: nums(h, 'hidden') });
      [m.head.labelMean, m.head.labelScale] = scalingArrays(config, 'labels', ['mean', 'std'], m.head.outputs) as [
        Float64Array,
        Float64Array,
      ];
      return m;
    }
    default:
      throw new SchemaError(
        `config.json: kind '${config.kind}' is not an @astro/specclip model (expected one of ${Object.values(SPECCLIP_KINDS).join(', ')})`,
      );
  }
}
