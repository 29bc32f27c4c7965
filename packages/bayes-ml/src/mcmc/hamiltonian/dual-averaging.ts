/**
 * Nesterov dual averaging of the log step size (Hoffman & Gelman 2014, Algorithm 5, eq. 6):
 * drives the mean acceptance statistic to `target`. Defaults γ = 0.05, t₀ = 10, κ = 0.75,
 * μ = log(10 ε₀), as in the paper and Stan.
 */
export class DualAveraging {
  private mu: number;
  private hBar = 0;
  private logEps: number;
  private logEpsBar = 0;
  private t = 0;
  constructor(
    eps0: number,
    private readonly target: number,
    private readonly gamma = 0.05,
    private readonly t0 = 10,
    private readonly kappa = 0.75,
  ) {
    this.mu = Math.log(10 * eps0);
    this.logEps = Math.log(eps0);
  }
  /** Feed one acceptance statistic; returns the next step size to use. */
  update(acceptStat: number): number {
    this.t++;
    const a = Number.isFinite(acceptStat) ? Math.min(1, acceptStat) : 0;
    const w = 1 / (this.t + this.t0);
    this.hBar = (1 - w) * this.hBar + w * (this.target - a);
    this.logEps = this.mu - (Math.sqrt(this.t) / this.gamma) * this.hBar;
    const eta = this.t ** -this.kappa;
    this.logEpsBar = eta * this.logEps + (1 - eta) * this.logEpsBar;
    return Math.exp(this.logEps);
  }
  /** The averaged step size ε̄ to use after warm-up. */
  final(): number {
    return Math.exp(this.logEpsBar);
  }
}
