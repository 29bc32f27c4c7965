import { ValueError } from '@astro/core';
import { ProductKernel, SumKernel, type Kernel, type KernelSpec } from './kernel.js';
import { ConstantKernel, ExpSineSquared, Matern, RBF, RationalQuadratic } from './stationary.js';
import { WhiteKernel } from './white.js';

/** Build a kernel from its serialisable {@link KernelSpec} (the inverse of `kernel.toSpec()`). */
export function kernelFromSpec(spec: KernelSpec): Kernel {
  switch (spec.type) {
    case 'rbf':
      return new RBF({ lengthScale: spec.lengthScale, bounds: spec.bounds });
    case 'matern':
      return new Matern({ lengthScale: spec.lengthScale, nu: spec.nu, bounds: spec.bounds });
    case 'rationalQuadratic':
      return new RationalQuadratic({
        lengthScale: spec.lengthScale,
        alpha: spec.alpha,
        bounds: spec.bounds,
        alphaBounds: spec.alphaBounds,
      });
    case 'expSineSquared':
      return new ExpSineSquared({
        lengthScale: spec.lengthScale,
        periodicity: spec.periodicity,
        bounds: spec.bounds,
        periodicityBounds: spec.periodicityBounds,
      });
    case 'white':
      return new WhiteKernel({ noiseLevel: spec.noiseLevel, bounds: spec.bounds });
    case 'constant':
      return new ConstantKernel({ value: spec.value, bounds: spec.bounds });
    case 'sum':
      return new SumKernel(kernelFromSpec(spec.k1), kernelFromSpec(spec.k2));
    case 'product':
      return new ProductKernel(kernelFromSpec(spec.k1), kernelFromSpec(spec.k2));
    default:
      throw new ValueError(`unknown kernel type ${(spec as { type: string }).type}`);
  }
}
