import { AbortError, ShapeError, ValueError } from '@astro/core';
import { Rng, toRng, uniformOpen } from '../../sampling/rng.js';
import type { Chain } from '../chain.js';
import { integratedTime, type IntegratedTimeOptions } from '../diagnostics/autocorr.js';
import { progressReporter, yieldToEventLoop, type ProgressOption } from '../progress.js';
import { ensembleConditionNumber } from './independence.js';
import { StretchMove, type EnsembleMove } from './moves.js';

/** A log-probability with an optional blob of derived quantities stored per walker and step. */
export interface LogProbWithBlob<B> {
  logProb: number;
  blob: B;
}

/** Log posterior density log p(θ | data) + const; return -Infinity outside the prior support. */
export type EnsembleLogProb<B = undefined> = (theta: Float64Array) => number | LogProbWithBlob<B>;

/**
 * Vectorised log-probability (emcee's `vectorize=True`): log p of `n` parameter vectors given
 * row-major in `thetas` (n × nDim), returned as n numbers — synchronously or as a promise, so a
 * model on a GPU can evaluate a whole half-ensemble in one call and read it back asynchronously.
 */
export type EnsembleLogProbBatch = (thetas: Float64Array, n: number, nDim: number) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options of {@link EnsembleSampler}: give exactly one of `logProb` and `logProbBatch`. */
export interface EnsembleSamplerOptions<B = undefined> {
  /** Number of walkers (≥ 2·nDim for red–blue moves, as emcee requires). */
  nWalkers: number;
  /** Number of parameters. */
  nDim: number;
  /** The log-probability of one parameter vector. */
  logProb?: EnsembleLogProb<B>;
  /**
   * The log-probabilities of many vectors at once (no blobs): called once for the initial
   * ensemble and once per half-ensemble update with all its proposals. The chain is the same
   * as with `logProb` for the same seed.
   */
  logProbBatch?: EnsembleLogProbBatch;
  /** Moves with probabilities, e.g. `[[new DEMove(), 0.8], [new StretchMove(), 0.2]]`; default stretch. */
  moves?: EnsembleMove | Array<[EnsembleMove, number]>;
  /** Seed or generator. */
  seed?: number | Rng;
}

/** Options of {@link EnsembleSampler.run}. */
export interface EnsembleRunOptions {
  progress?: ProgressOption;
  signal?: AbortSignal;
  /** Skip emcee's check that the initial walkers are linearly independent. */
  skipInitialStateCheck?: boolean;
}

/** Options of {@link EnsembleSampler.getChain} and friends. */
export interface ChainSelection {
  /** Steps to drop from the start (burn-in). */
  discard?: number;
  /** Keep every `thin`-th step. */
  thin?: number;
}

/** A flattened chain: `n = nSteps·nWalkers` samples of `nDim` parameters, row-major. */
export interface FlatChain {
  readonly data: Float64Array;
  readonly n: number;
  readonly nDim: number;
}

/**
 * The affine-invariant ensemble sampler of Goodman & Weare (2010) with emcee's API and
 * semantics (Foreman-Mackey et al. 2013): walkers are split into two halves, each updated with
 * a move that uses the other half (stretch by default, differential evolution available).
 * Everything is float64; the chain is [nSteps, nWalkers, nDim], step-major.
 *
 * ```ts
 * const sampler = new EnsembleSampler({ nWalkers: 32, nDim: 3, logProb, seed: 1 });
 * await sampler.run(p0, 5000, { progress: true });
 * const flat = sampler.getChain({ discard: 1000, thin: 10, flat: true });
 * const tau = sampler.getAutocorrTime({ discard: 1000 });
 * ```
 */
export class EnsembleSampler<B = undefined> {
  readonly nWalkers: number;
  readonly nDim: number;
  private readonly logProbFn: EnsembleLogProb<B> | undefined;
  private readonly logProbBatchFn: EnsembleLogProbBatch | undefined;
  private readonly moves: EnsembleMove[];
  private readonly cumWeights: Float64Array;
  private readonly rng: Rng;
  private chainBuf = new Float64Array(0);
  private logProbBuf = new Float64Array(0);
  private blobs: Array<B | undefined> = [];
  private hasBlobs = false;
  private nStored = 0;
  private accepted: Float64Array;
  private coords: Float64Array | undefined;
  private logProbs: Float64Array | undefined;
  private currentBlobs: Array<B | undefined> = [];

  constructor(opts: EnsembleSamplerOptions<B>) {
    const { nWalkers, nDim } = opts;
    if (!Number.isInteger(nDim) || nDim < 1) throw new ValueError(`nDim must be a positive integer, got ${nDim}`);
    if (!Number.isInteger(nWalkers) || nWalkers < 2 * nDim) {
      throw new ValueError(
        `nWalkers = ${nWalkers}: it is unadvisable to use a red-blue move with fewer walkers than twice the number of dimensions (${2 * nDim})`,
      );
    }
    this.nWalkers = nWalkers;
    this.nDim = nDim;
    if ((opts.logProb === undefined) === (opts.logProbBatch === undefined)) {
      throw new ValueError('EnsembleSampler needs exactly one of logProb and logProbBatch');
    }
    this.logProbFn = opts.logProb;
    this.logProbBatchFn = opts.logProbBatch;
    const mv = opts.moves ?? new StretchMove();
    const pairs: Array<[EnsembleMove, number]> = Array.isArray(mv) ? mv : [[mv, 1]];
    if (pairs.length === 0) throw new ValueError('moves must not be empty');
    this.moves = pairs.map((p) => p[0]);
    this.cumWeights = new Float64Array(pairs.length);
    let total = 0;
    pairs.forEach(([, w], i) => {
      if (!(w > 0) || !Number.isFinite(w)) throw new ValueError(`move weight ${i} must be positive, got ${w}`);
      total += w;
      this.cumWeights[i] = total;
    });
    for (let i = 0; i < pairs.length; i++) this.cumWeights[i] = this.cumWeights[i]! / total;
    this.rng = toRng(opts.seed);
    this.accepted = new Float64Array(nWalkers);
  }

  /** Number of stored steps. */
  get iteration(): number {
    return this.nStored;
  }

  /** Fraction of proposals accepted by each walker (length nWalkers). */
  get acceptanceFraction(): Float64Array {
    const out = new Float64Array(this.nWalkers);
    if (this.nStored === 0) return out;
    for (let k = 0; k < this.nWalkers; k++) out[k] = this.accepted[k]! / this.nStored;
    return out;
  }

  /** The last positions (nWalkers × nDim, row-major), or undefined before the first run. */
  get lastPositions(): Float64Array | undefined {
    return this.coords?.slice();
  }

  /** Forget stored samples and acceptance counts (keeps the current positions). */
  reset(): void {
    this.nStored = 0;
    this.accepted.fill(0);
    this.blobs = [];
  }

  /**
   * Advance every walker `nSteps` times and store the chain. `p0` holds the initial positions
   * (nWalkers × nDim, as rows or flat); pass `null` to continue from the last state.
   * Throws a {@link ValueError} when p0 is non-finite, when the log-probability is NaN or +Inf,
   * or when the walkers are not linearly independent (condition number > 1e8, as emcee).
   */
  async run(p0: ArrayLike<number> | ReadonlyArray<ArrayLike<number>> | null, nSteps: number, opts: EnsembleRunOptions = {}): Promise<void> {
    if (!Number.isInteger(nSteps) || nSteps < 0) throw new ValueError(`nSteps must be a non-negative integer, got ${nSteps}`);
    const { nWalkers: nW, nDim: nD } = this;
    if (p0 !== null) {
      const flat = flattenPositions(p0, nW, nD);
      if (!opts.skipInitialStateCheck) {
        const cond = ensembleConditionNumber(flat, nW, nD);
        if (!(cond <= 1e8)) {
          throw new ValueError(
            `Initial state has a large condition number (${cond.toExponential(2)} > 1e8). ` +
              'Make sure that your walkers are linearly independent (e.g. a small Gaussian ball, not identical points)',
          );
        }
      }
      this.coords = flat;
      this.currentBlobs = new Array<B | undefined>(nW);
      this.logProbs = await this.evaluateMany(flat, nW);
    } else if (!this.coords) {
      throw new ValueError('run(null, …) needs a previous run to continue from');
    }
    this.ensureCapacity(this.nStored + nSteps);
    const coords = this.coords!;
    const logProbs = this.logProbs!;
    const half = [Math.floor(nW / 2), nW - Math.floor(nW / 2)];
    const maxS = Math.max(half[0]!, half[1]!);
    const s = new Float64Array(maxS * nD);
    const c = new Float64Array(nW * nD);
    const q = new Float64Array(maxS * nD);
    const logFactor = new Float64Array(maxS);
    const perm = new Int32Array(nW);
    const inS = new Uint8Array(nW);
    const report = progressReporter(opts.progress, 'EnsembleSampler');
    let lastYield = Date.now();
    for (let step = 0; step < nSteps; step++) {
      if (opts.signal?.aborted) throw new AbortError('EnsembleSampler.run aborted');
      const move = this.pickMove();
      // emcee's RedBlueMove with randomize_split: shuffle, then split in two halves.
      for (let i = 0; i < nW; i++) perm[i] = i;
      for (let i = nW - 1; i > 0; i--) {
        const j = this.rng.below(i + 1);
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      for (let split = 0; split < 2; split++) {
        inS.fill(0);
        const start = split === 0 ? 0 : half[0]!;
        const nS = half[split]!;
        for (let i = 0; i < nS; i++) inS[perm[start + i]!] = 1;
        let nC = 0;
        let ns = 0;
        const sIdx: number[] = [];
        for (let k = 0; k < nW; k++) {
          const dst = inS[k] ? s : c;
          const row = inS[k] ? ns++ : nC++;
          if (inS[k]) sIdx.push(k);
          for (let d = 0; d < nD; d++) dst[row * nD + d] = coords[k * nD + d]!;
        }
        move.propose(s, nS, c, nC, nD, this.rng, q, logFactor);
        // all proposals first (one call when vectorised), then the accept draws in walker order:
        // evaluation draws no random numbers, so the chain does not depend on the mode
        const blobs = new Array<B | undefined>(nS);
        const lps = await this.evaluateMany(q, nS, blobs);
        for (let i = 0; i < nS; i++) {
          const k = sIdx[i]!;
          const lp = lps[i]!;
          const logAccept = logFactor[i]! + lp - logProbs[k]!;
          if (logAccept > Math.log(uniformOpen(this.rng))) {
            coords.set(q.subarray(i * nD, (i + 1) * nD), k * nD);
            logProbs[k] = lp;
            this.currentBlobs[k] = blobs[i];
            this.accepted[k] = this.accepted[k]! + 1;
          }
        }
      }
      const t = this.nStored++;
      this.chainBuf.set(coords, t * nW * nD);
      this.logProbBuf.set(logProbs, t * nW);
      if (this.hasBlobs) for (let k = 0; k < nW; k++) this.blobs[t * nW + k] = this.currentBlobs[k];
      let acc = 0;
      for (let k = 0; k < nW; k++) acc += this.accepted[k]!;
      report({ step: step + 1, total: nSteps, acceptance: acc / (nW * this.nStored) });
      if ((opts.signal || opts.progress) && Date.now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
  }

  /** The stored chain [nSteps, nWalkers, nDim] after discarding and thinning, or flattened to [n, nDim]. */
  getChain(opts: ChainSelection & { flat: true }): FlatChain;
  getChain(opts?: ChainSelection & { flat?: false }): Chain;
  getChain(opts: ChainSelection & { flat?: boolean } = {}): Chain | FlatChain {
    const steps = this.selectSteps(opts);
    const row = this.nWalkers * this.nDim;
    const data = new Float64Array(steps.length * row);
    steps.forEach((t, i) => data.set(this.chainBuf.subarray(t * row, (t + 1) * row), i * row));
    if (opts.flat) return { data, n: steps.length * this.nWalkers, nDim: this.nDim };
    return { data, nSteps: steps.length, nWalkers: this.nWalkers, nDim: this.nDim };
  }

  /** Log-probabilities [nSteps, nWalkers] (step-major, flat) after discarding and thinning. */
  getLogProb(opts: ChainSelection = {}): Float64Array {
    const steps = this.selectSteps(opts);
    const nW = this.nWalkers;
    const out = new Float64Array(steps.length * nW);
    steps.forEach((t, i) => out.set(this.logProbBuf.subarray(t * nW, (t + 1) * nW), i * nW));
    return out;
  }

  /** Blobs returned by the log-probability, [nSteps × nWalkers] step-major; empty if none were returned. */
  getBlobs(opts: ChainSelection = {}): B[] {
    if (!this.hasBlobs) return [];
    const steps = this.selectSteps(opts);
    const nW = this.nWalkers;
    const out: B[] = [];
    for (const t of steps) for (let k = 0; k < nW; k++) out.push(this.blobs[t * nW + k] as B);
    return out;
  }

  /**
   * Integrated autocorrelation time per parameter (emcee's `get_autocorr_time`), in steps of the
   * stored chain: τ estimated on the thinned chain times `thin`. Throws {@link AutocorrError}
   * when the chain is shorter than `tol·τ` (default 50) unless `quiet`.
   */
  getAutocorrTime(opts: ChainSelection & IntegratedTimeOptions = {}): Float64Array {
    const thin = opts.thin ?? 1;
    const tau = integratedTime(this.getChain(opts), opts);
    for (let d = 0; d < tau.length; d++) tau[d] = tau[d]! * thin;
    return tau;
  }

  private selectSteps(opts: ChainSelection): number[] {
    const discard = opts.discard ?? 0;
    const thin = opts.thin ?? 1;
    if (!Number.isInteger(discard) || discard < 0) throw new ValueError(`discard must be a non-negative integer, got ${discard}`);
    if (!Number.isInteger(thin) || thin < 1) throw new ValueError(`thin must be a positive integer, got ${thin}`);
    if (this.nStored === 0) throw new ValueError('no samples stored yet: call run() first');
    if (discard >= this.nStored) throw new ShapeError(`discard = ${discard} leaves no samples of ${this.nStored}`);
    const out: number[] = [];
    // emcee keeps steps discard + thin − 1, discard + 2·thin − 1, …
    for (let t = discard + thin - 1; t < this.nStored; t += thin) out.push(t);
    return out;
  }

  /** log p of the first n rows of xs (n × nDim); blobs, when given, receive each row's blob. */
  private async evaluateMany(xs: Float64Array, n: number, blobs: Array<B | undefined> = this.currentBlobs): Promise<Float64Array> {
    const nD = this.nDim;
    const out = new Float64Array(n);
    if (this.logProbBatchFn) {
      const r = await this.logProbBatchFn(xs.slice(0, n * nD), n, nD);
      if (r.length !== n) throw new ShapeError(`logProbBatch returned ${r.length} values for ${n} parameter vectors`);
      for (let i = 0; i < n; i++) {
        const lp = r[i]!;
        if (Number.isNaN(lp) || lp === Infinity) {
          throw new ValueError(`log-probability returned ${lp} at θ = [${Array.from(xs.subarray(i * nD, (i + 1) * nD)).join(', ')}]`);
        }
        out[i] = lp;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const { lp, blob } = this.evaluate(xs.subarray(i * nD, (i + 1) * nD));
      out[i] = lp;
      blobs[i] = blob;
    }
    return out;
  }

  private evaluate(x: Float64Array): { lp: number; blob: B | undefined } {
    const r = this.logProbFn!(x);
    let lp: number;
    let blob: B | undefined;
    if (typeof r === 'number') lp = r;
    else {
      lp = r.logProb;
      blob = r.blob;
      this.hasBlobs = true;
    }
    if (Number.isNaN(lp) || lp === Infinity) {
      throw new ValueError(`log-probability returned ${lp} at θ = [${Array.from(x).join(', ')}]`);
    }
    return { lp, blob };
  }

  private pickMove(): EnsembleMove {
    if (this.moves.length === 1) return this.moves[0]!;
    const u = this.rng.uniform();
    for (let i = 0; i < this.moves.length; i++) if (u < this.cumWeights[i]!) return this.moves[i]!;
    return this.moves[this.moves.length - 1]!;
  }

  private ensureCapacity(nSteps: number): void {
    const row = this.nWalkers * this.nDim;
    if (this.chainBuf.length >= nSteps * row) return;
    const chain = new Float64Array(nSteps * row);
    chain.set(this.chainBuf.subarray(0, this.nStored * row));
    this.chainBuf = chain;
    const lp = new Float64Array(nSteps * this.nWalkers);
    lp.set(this.logProbBuf.subarray(0, this.nStored * this.nWalkers));
    this.logProbBuf = lp;
  }
}

function flattenPositions(p0: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>, nW: number, nD: number): Float64Array {
  const out = new Float64Array(nW * nD);
  const first = (p0 as ArrayLike<unknown>)[0];
  if (typeof first === 'number' || p0.length === 0) {
    const flat = p0 as ArrayLike<number>;
    if (flat.length !== nW * nD) throw new ShapeError(`p0 has ${flat.length} values, expected nWalkers·nDim = ${nW * nD}`);
    for (let i = 0; i < out.length; i++) out[i] = flat[i]!;
  } else {
    const rows = p0 as ReadonlyArray<ArrayLike<number>>;
    if (rows.length !== nW) throw new ShapeError(`p0 has ${rows.length} rows, expected nWalkers = ${nW}`);
    rows.forEach((r, k) => {
      if (r.length !== nD) throw new ShapeError(`p0 row ${k} has ${r.length} values, expected nDim = ${nD}`);
      for (let d = 0; d < nD; d++) out[k * nD + d] = r[d]!;
    });
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new ValueError(`p0 contains ${out[i]} (walker ${Math.floor(i / nD)}, parameter ${i % nD})`);
    }
  }
  return out;
}
