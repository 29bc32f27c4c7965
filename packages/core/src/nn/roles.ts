/**
 * Parameter roles in the maximal-update parametrisation (muP; Yang et al. 2022,
 * "Tensor Programs V", arXiv:2203.03466, Table 3):
 * - `'input'`: weights that map a finite-size input into the width (embeddings, first layer);
 * - `'hidden'`: width × width weights;
 * - `'output'`: weights that map the width to a finite-size output (readout);
 * - `'bias'`: biases; `'norm'`: normalisation gains and shifts.
 */
export type ParamRole = 'input' | 'hidden' | 'output' | 'bias' | 'norm';
