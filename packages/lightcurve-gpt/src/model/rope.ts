/**
 * Rotary position embeddings (RoPE; Su et al. 2021, "RoFormer", eq. 34): each query and key
 * head vector is rotated by an angle proportional to its position, so the attention logit
 * q_m·k_n depends on positions only through m − n. Layout: the half-split ("rotate_half")
 * convention of GPT-NeoX and LLaMA — channel i pairs with channel i + d_head/2 and turns at
 * frequency θ_i = base^(−2i/d_head), i = 0 … d_head/2 − 1.
 */
import { tf, ValueError } from '@astro/core';
import type { MultiHeadAttention, TransformerBlock } from '@astro/core/nn';

/** Cosine and sine tables of RoPE, each [T, headDim]: entry (m, j) is cos/sin(m·θ_{j mod headDim/2}). */
export interface RotaryTables {
  cos: tf.Tensor2D;
  sin: tf.Tensor2D;
}

/**
 * RoPE tables for positions 0 … T−1 and an even `headDim` (θ_i = base^(−2i/headDim), default
 * base 10000 as RoFormer). Angles are computed in float64 before rounding to float32.
 * Throws `ValueError` for an odd or non-positive headDim, T < 1 or base ≤ 1.
 */
export function rotaryTables(T: number, headDim: number, base = 10000): RotaryTables {
  if (!(Number.isInteger(headDim) && headDim >= 2 && headDim % 2 === 0))
    throw new ValueError(`rotary positions need an even head dimension ≥ 2, got ${headDim}`);
  if (!(Number.isInteger(T) && T >= 1)) throw new ValueError(`rotaryTables: T must be a positive integer, got ${T}`);
  if (!(Number.isFinite(base) && base > 1)) throw new ValueError(`rotaryTables: base must be > 1, got ${base}`);
  const half = headDim / 2;
  const c = new Float32Array(T * headDim);
  const s = new Float32Array(T * headDim);
  for (let m = 0; m < T; m++) {
    for (let i = 0; i < half; i++) {
      const a = m * base ** ((-2 * i) / headDim);
      c[m * headDim + i] = c[m * headDim + i + half] = Math.cos(a);
      s[m * headDim + i] = s[m * headDim + i + half] = Math.sin(a);
    }
  }
  return { cos: tf.tensor2d(c, [T, headDim]), sin: tf.tensor2d(s, [T, headDim]) };
}

/**
 * Rotate x [..., T, headDim] by the tables: x·cos + rotate_half(x)·sin with
 * rotate_half([x₁, x₂]) = [−x₂, x₁] (halves along the last axis).
 */
export function applyRotary(x: tf.Tensor, t: RotaryTables): tf.Tensor {
  const d = x.shape[x.rank - 1]!;
  const T = x.shape[x.rank - 2]!;
  if (t.cos.shape[0] !== T || t.cos.shape[1] !== d)
    throw new ValueError(`applyRotary: tables are [${t.cos.shape.join(', ')}] but x ends in [${T}, ${d}]`);
  return tf.tidy(() => {
    const [x1, x2] = tf.split(x, 2, x.rank - 1);
    const rot = tf.concat([tf.neg(x2!), x1!], x.rank - 1);
    return tf.add(tf.mul(x, t.cos), tf.mul(rot, t.sin));
  });
}

const MASKED = -1e9;

/**
 * Causal multi-head self-attention with RoPE applied to queries and keys, using the
 * projections (`q`, `k`, `v`, `out`) and logit scale of a core {@link MultiHeadAttention}:
 * softmax(s·R(Q)R(K)ᵀ + causal mask)·V. x [B, T, dim] → [B, T, dim].
 */
export function rotaryCausalAttention(attn: MultiHeadAttention, x: tf.Tensor, t: RotaryTables): tf.Tensor {
  const [B, T] = x.shape as [number, number, number];
  const { numHeads: H, headDim: dh, dim } = attn;
  return tf.tidy(() => {
    const heads = (y: tf.Tensor) => tf.transpose(tf.reshape(y, [B, T, H, dh]), [0, 2, 1, 3]);
    const q = tf.mul(applyRotary(heads(attn.q.forward(x)), t), attn.scale);
    const k = applyRotary(heads(attn.k.forward(x)), t);
    const v = heads(attn.v.forward(x));
    const m = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = MASKED;
    const a = tf.softmax(tf.add(tf.matMul(q, k, false, true), tf.tensor4d(m, [1, 1, T, T])));
    const o = tf.reshape(tf.transpose(tf.matMul(a, v), [0, 2, 1, 3]), [B * T, dim]);
    return tf.reshape(attn.out.forward(o), [B, T, dim]);
  });
}

/**
 * A core pre-norm {@link TransformerBlock} run with rotary causal self-attention:
 * x ← x + RoPE-attn(norm1(x)); x ← x + mlp(norm2(x)). Same parameters (and names) as the
 * block's own forward; the block must have no dropout and no cross-attention.
 */
export function rotaryBlockForward(block: TransformerBlock, x: tf.Tensor, t: RotaryTables): tf.Tensor {
  return tf.tidy(() => {
    const h = tf.add(x, rotaryCausalAttention(block.attn, block.norm1.forward(x), t));
    return tf.add(h, block.mlp.forward(block.norm2.forward(h)));
  });
}
