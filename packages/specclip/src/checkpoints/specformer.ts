import { tf, FormatError, ShapeError } from '@astro/core';
import { parseSafetensors, readBytes, safetensorsToTensors } from '@astro/core/io';
import { SpectrumTransformer } from '../encoders/spectrum-transformer.js';
import { patchLayout } from '../encoders/patches.js';

/** Options of {@link fromSpecFormerStateDict}. */
export interface SpecFormerImportOptions {
  /** Pixels of the spectra the encoder will see (LAMOST LRS in SpecCLIP: 1462). */
  pixels: number;
  /** Attention heads (not recoverable from the weights; SpecCLIP's LAMOST encoder uses 6). */
  heads: number;
  /** Window overlap in pixels (default 10, SpecCLIP's `slice_overlap`). */
  overlap?: number;
}

/**
 * Parameter-name mapping from the published SpecCLIP SpecFormer (`SpecFormerControl20_wstd`,
 * itself AstroCLIP's SpecFormer) to {@link SpectrumTransformer}, one row per rule. `{i}` is a block.
 */
export const SPECFORMER_NAME_MAP: readonly { specformer: string; astro: string; how: string }[] = [
  { specformer: 'data_embed.weight [dim, W+1]', astro: 'patch_embed.weight [dim, W]', how: 'columns 1…W' },
  { specformer: 'data_embed.weight [dim, W+1]', astro: 'std_embed.weight [dim, 1]', how: 'column 0 ÷ ln 10 (log₁₀σ → ln σ)' },
  {
    specformer: 'data_embed.bias',
    astro: 'patch_embed.bias, std_embed.bias, mask_token',
    how: 'copied (a zeroed, masked token embeds to the bias)',
  },
  { specformer: 'position_embed.weight [max_len, dim]', astro: 'pos_embed [tokens+1, dim]', how: 'first tokens+1 rows' },
  { specformer: 'blocks.{i}.ln1.*, blocks.{i}.ln2.*', astro: 'blocks.{i}.norm1.*, blocks.{i}.norm2.*', how: 'copied' },
  {
    specformer: 'blocks.{i}.attention.q_proj.*',
    astro: 'blocks.{i}.attn.q.*',
    how: 'copied (PyTorch ≥ 2 layout; attentionScale = specformer)',
  },
  {
    specformer: 'blocks.{i}.attention.kv_proj.* [2·dim, …]',
    astro: 'blocks.{i}.attn.k.*, blocks.{i}.attn.v.*',
    how: 'rows 0…dim−1 and dim…2·dim−1',
  },
  {
    specformer: 'blocks.{i}.attention.attention.* [3·dim, …]',
    astro: 'blocks.{i}.attn.q.*, .k.*, .v.*',
    how: 'thirds (older-PyTorch layout; attentionScale = standard)',
  },
  { specformer: 'blocks.{i}.attention.out_proj.*', astro: 'blocks.{i}.attn.out.*', how: 'copied' },
  {
    specformer: 'blocks.{i}.mlp.0.*, blocks.{i}.mlp.2.*',
    astro: 'blocks.{i}.mlp.layers.0.*, blocks.{i}.mlp.layers.1.*',
    how: 'copied (GELU, exact form)',
  },
  { specformer: 'final_layernorm.*', astro: 'norm.*', how: 'copied' },
  {
    specformer: 'head.weight [W+1, dim], head.bias',
    astro: 'decoder.weight [W, dim], decoder.bias',
    how: 'rows 1…W (the log-std output row is dropped)',
  },
];

function take(state: Record<string, tf.Tensor>, used: Set<string>, name: string): tf.Tensor {
  const t = state[name];
  if (!t) throw new FormatError('specformer', `missing tensor '${name}'`);
  used.add(name);
  return t;
}

/**
 * Build a {@link SpectrumTransformer} from a published SpecCLIP SpecFormer state dict (PyTorch
 * names; see {@link SPECFORMER_NAME_MAP}). Given the same tokens (z-scored windows and log σ) the
 * two networks give the same encoder outputs and patch reconstructions. Differences outside the
 * weights: SpecFormer z-scores with the unbiased standard deviation and drops a last incomplete
 * window, where `patchify` uses the population standard deviation and pads it; choose pixels with
 * (pixels − window) divisible by the stride for identical windows.
 * @throws {FormatError} for missing or unexpected tensors; {@link ShapeError} for inconsistent shapes
 *   or a position table shorter than the spectrum's tokens.
 */
export function fromSpecFormerStateDict(state: Record<string, tf.Tensor>, opts: SpecFormerImportOptions): SpectrumTransformer {
  const used = new Set<string>();
  const de = take(state, used, 'data_embed.weight');
  if (de.rank !== 2) throw new ShapeError(`specformer: data_embed.weight must be [dim, window+1], got [${de.shape.join(', ')}]`);
  const [dim, w1] = de.shape as [number, number];
  const W = w1 - 1;
  let depth = 0;
  while (state[`blocks.${depth}.ln1.weight`]) depth++;
  if (depth === 0) throw new FormatError('specformer', "no 'blocks.0.ln1.weight': not a SpecFormer state dict");
  const flash = state['blocks.0.attention.q_proj.weight'] !== undefined;
  const layout = patchLayout(opts.pixels, W, W - (opts.overlap ?? 10));
  const model = new SpectrumTransformer({
    layout,
    dim,
    depth,
    heads: opts.heads,
    attentionScale: flash ? 'specformer' : 'standard',
    seed: 0,
  });
  const dict: Record<string, tf.Tensor> = {};
  const owned: tf.Tensor[] = [];
  const mk = (t: tf.Tensor) => (owned.push(t), t);
  try {
    const bias = take(state, used, 'data_embed.bias');
    dict['patch_embed.weight'] = mk(tf.slice(de, [0, 1], [dim, W]));
    dict['patch_embed.bias'] = bias;
    dict['std_embed.weight'] = mk(tf.div(tf.slice(de, [0, 0], [dim, 1]), Math.LN10));
    dict['std_embed.bias'] = bias;
    dict['mask_token'] = bias;
    const pos = take(state, used, 'position_embed.weight');
    if (pos.rank !== 2 || pos.shape[0]! < layout.tokens + 1 || pos.shape[1] !== dim) {
      throw new ShapeError(
        `specformer: position_embed.weight [${pos.shape.join(', ')}] has fewer than the ${layout.tokens + 1} rows a ${opts.pixels}-pixel spectrum needs`,
      );
    }
    dict['pos_embed'] = mk(tf.slice(pos, [0, 0], [layout.tokens + 1, dim]));
    for (let i = 0; i < depth; i++) {
      const s = `blocks.${i}.`;
      for (const [from, to] of [
        ['ln1', 'norm1'],
        ['ln2', 'norm2'],
        ['attention.out_proj', 'attn.out'],
        ['mlp.0', 'mlp.layers.0'],
        ['mlp.2', 'mlp.layers.1'],
      ] as const) {
        for (const p of ['weight', 'bias']) dict[`${s}${to}.${p}`] = take(state, used, `${s}${from}.${p}`);
      }
      for (const p of ['weight', 'bias']) {
        if (flash) {
          dict[`${s}attn.q.${p}`] = take(state, used, `${s}attention.q_proj.${p}`);
          const [k, v] = tf.split(take(state, used, `${s}attention.kv_proj.${p}`), 2, 0);
          dict[`${s}attn.k.${p}`] = mk(k!);
          dict[`${s}attn.v.${p}`] = mk(v!);
        } else {
          const [q, k, v] = tf.split(take(state, used, `${s}attention.attention.${p}`), 3, 0);
          dict[`${s}attn.q.${p}`] = mk(q!);
          dict[`${s}attn.k.${p}`] = mk(k!);
          dict[`${s}attn.v.${p}`] = mk(v!);
        }
      }
    }
    dict['norm.weight'] = take(state, used, 'final_layernorm.weight');
    dict['norm.bias'] = take(state, used, 'final_layernorm.bias');
    const head = take(state, used, 'head.weight');
    dict['decoder.weight'] = mk(tf.slice(head, [1, 0], [W, dim]));
    dict['decoder.bias'] = mk(tf.slice(take(state, used, 'head.bias'), [1], [W]));
    const extra = Object.keys(state).filter((n) => !used.has(n));
    if (extra.length)
      throw new FormatError('specformer', `unexpected tensors ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}`);
    model.loadStateDict(dict);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(owned);
  }
}

/**
 * Read a SpecFormer `.safetensors` checkpoint (bytes, or a path in Node) into a
 * {@link SpectrumTransformer}; see {@link fromSpecFormerStateDict}. A `state_dict` saved from the
 * Lightning module directly has the same names.
 */
export async function readSpecFormer(source: string | Uint8Array, opts: SpecFormerImportOptions): Promise<SpectrumTransformer> {
  const bytes = typeof source === 'string' ? await readBytes(source) : source;
  const state = safetensorsToTensors(parseSafetensors(bytes));
  try {
    return fromSpecFormerStateDict(state, opts);
  } finally {
    tf.dispose(Object.values(state));
  }
}
