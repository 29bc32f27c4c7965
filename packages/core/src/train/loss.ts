import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';

/** Built-in losses: mean squared error and mean absolute error over every element. */
export type LossName = 'mse' | 'mae';

/** A loss: predictions and targets of one batch → scalar mean over the batch. */
export type LossFn = (pred: tf.Tensor, target: tf.Tensor) => tf.Scalar;

function sameShape(pred: tf.Tensor, target: tf.Tensor, name: string): void {
  if (pred.rank !== target.rank || pred.shape.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError(`${name}: model output has shape [${pred.shape}] but the targets have [${target.shape}] (no broadcasting)`);
  }
}

/** Mean squared error ⟨(ŷ − y)²⟩ over every element; shapes must match exactly. */
export function mseLoss(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  sameShape(pred, target, 'mse');
  return tf.mean(tf.squaredDifference(pred, target));
}

/** Mean absolute error ⟨|ŷ − y|⟩ over every element; shapes must match exactly. */
export function maeLoss(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  sameShape(pred, target, 'mae');
  return tf.mean(tf.abs(tf.sub(pred, target)));
}

/** The loss function for a name or a custom function. */
export function resolveLoss(loss: LossName | LossFn | undefined): LossFn {
  if (loss === undefined || loss === 'mse') return mseLoss;
  if (loss === 'mae') return maeLoss;
  if (typeof loss === 'function') return loss;
  throw new ValueError(`unknown loss '${String(loss)}' (expected 'mse', 'mae' or a function)`);
}
