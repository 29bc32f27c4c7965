/**
 * Fused layer norm. On the wasm backend (with core's kernels, see `useWasmKernels`) it runs as
 * one kernel forward and one backward (`backend/fused-kernels.ts`); everywhere else — webgpu,
 * cpu — it is the composition of tfjs ops it replaces, with tfjs's gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import { wasmKernelMode } from '../backend/wasm-kernels.js';

/** Whether the fused kernel `name` runs on the current backend. */
export function fusedKernelActive(name: string): boolean {
  return tf.getBackend() === 'wasm' && wasmKernelMode() === 'auto' && tf.getKernel(name, 'wasm') !== undefined;
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown> = {}): tf.Tensor[] => {
  const out = tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
};

// ---------------------------------------------------------------------------------------------
function layerNormComposite(x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y;
  });
}

/**
 * Layer norm over the last axis, y = (x − mean)/√(var + eps)·gamma + beta (biased variance,
 * as `torch.nn.functional.layer_norm`); gamma and beta [d] or null. One kernel each way on wasm.
 */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null, eps: number): tf.Tensor {
  if (x.dtype !== 'float32' || !fusedKernelActive('AstroLayerNorm') || (beta && !gamma)) return layerNormComposite(x, gamma, beta, eps);
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[inputs.length] as tf.GradSaveFunc;
    const named: tf.NamedTensorMap = { x };
    if (gamma) named['gamma'] = gamma;
    if (beta) named['beta'] = beta;
    const [y, mean, rstd] = run('AstroLayerNorm', named, { eps });
    save(gamma ? [x, mean!, rstd!, gamma] : [x, mean!, rstd!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ms, rs, gs] = saved;
        const g: tf.NamedTensorMap = { dy, x: xs!, mean: ms!, rstd: rs! };
        if (gs) g['gamma'] = gs;
        const [dx, dgamma, dbeta] = run('AstroLayerNormGrad', g, { affine: Boolean(gs) });
        const out = [dx!];
        if (gamma) out.push(dgamma!);
        else dgamma!.dispose();
        if (beta) out.push(dbeta!);
        else dbeta!.dispose();
        return out;
      },
    };
  }) as (...t: tf.Tensor[]) => tf.Tensor;
  return f(...inputs);
}
