export { timeWeights, citationWeights } from './scoring/weights.js';
