import { ValueError } from '@astro/core';
import type { ActivationName } from '@astro/core/nn';
import { Rng } from '@astro/core';
import { MixtureDensityNetwork, type MdnFitOptions } from './mdn.js';

/** Options of {@link MLPRegressor}. */
export interface MLPRegressorOptions {
  inputDim: number;
  /** Ensemble size M (default 5). */
  nMembers?: number;
  hidden?: number[];
  activation?: ActivationName;
  seed?: number;
}

/** Predictive distribution of {@link MLPRegressor}: total, aleatoric and epistemic parts (units of y). */
export interface RegressorPrediction {
  mean: Float64Array;
  /** Total standard deviation √(aleatoric² + epistemic²). */
  std: Float64Array;
  /** Mean of the members' predicted noise variances, square-rooted. */
  aleatoricStd: Float64Array;
  /** Spread of the members' means. */
  epistemicStd: Float64Array;
}

/**
 * MLP regressor with predictive uncertainties: a deep ensemble (Lakshminarayanan, Pritzel &
 * Blundell 2017) of M heteroscedastic Gaussian MLPs (mixture density networks with K = 1),
 * each with its own initialisation and data order. The predictive distribution is the equally
 * weighted mixture: mean μ = ⟨μₘ⟩, variance ⟨σₘ²⟩ (aleatoric) + ⟨μₘ²⟩ − μ² (epistemic).
 */
export class MLPRegressor {
  private readonly members: MixtureDensityNetwork[];
  constructor(opts: MLPRegressorOptions) {
    const m = opts.nMembers ?? 5;
    if (!Number.isInteger(m) || m < 1) throw new ValueError(`nMembers must be a positive integer, got ${m}`);
    this.members = Array.from(
      { length: m },
      (_, i) =>
        new MixtureDensityNetwork({
          inputDim: opts.inputDim,
          nComponents: 1,
          ...(opts.hidden ? { hidden: opts.hidden } : {}),
          ...(opts.activation ? { activation: opts.activation } : {}),
          seed: memberSeed(opts.seed ?? 0, 'init', i),
        }),
    );
  }

  /**
   * Train every member through core's `fit` (its own initialisation and shuffling streams, forked
   * from the seeds by name). Returns each member's loss curve.
   */
  async fit(
    x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>,
    y: ArrayLike<number>,
    opts: MdnFitOptions = {},
  ): Promise<Float64Array[]> {
    const out: Float64Array[] = [];
    for (let i = 0; i < this.members.length; i++) {
      out.push(await this.members[i]!.fit({ x, y }, { ...opts, seed: memberSeed(opts.seed ?? 0, 'shuffle', i) }));
    }
    return out;
  }

  /** Predictive mean and standard deviations at each row of x (read back asynchronously). */
  async predict(x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>): Promise<RegressorPrediction> {
    const preds = await Promise.all(this.members.map((m) => m.predict(x)));
    const n = preds[0]!.n;
    const M = preds.length;
    const mean = new Float64Array(n);
    const std = new Float64Array(n);
    const aleatoricStd = new Float64Array(n);
    const epistemicStd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let mu = 0;
      let mu2 = 0;
      let s2 = 0;
      for (const p of preds) {
        mu += p.means[i]!;
        mu2 += p.means[i]! ** 2;
        s2 += p.stds[i]! ** 2;
      }
      mu /= M;
      const epi = Math.max(0, mu2 / M - mu * mu);
      const ale = s2 / M;
      mean[i] = mu;
      aleatoricStd[i] = Math.sqrt(ale);
      epistemicStd[i] = Math.sqrt(epi);
      std[i] = Math.sqrt(ale + epi);
    }
    return { mean, std, aleatoricStd, epistemicStd };
  }

  /** Free every member's tensors. */
  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}

/** Seed of member `i`'s `what` stream: core `Rng` forks `member/<i>/<what>` of the user's seed (no seed arithmetic). */
function memberSeed(seed: number, what: string, i: number): number {
  return new Rng(seed)
    .fork('member')
    .fork(String(i))
    .fork(what)
    .below(2 ** 31);
}
