export { fftInPlace, nextPow2 } from './fft.js';
export { powerDensity, type PowerSpectrum } from './psd.js';
export { apodization2, backgroundModel, type BackgroundParams } from './background.js';
export { estimateNumax, type NumaxOptions, type NumaxResult } from './numax.js';
