export { timeWeights, citationWeights } from './weights.js';
export { similarityFromDistance, keywordWeights, productScore } from './pathfinder.js';
export { reciprocalRankFusion, weightedScoreFusion, rankBy, type Ranking, type Fused } from './fusion.js';
export { reweight, type ReweightOptions, type Candidate } from './reweight.js';
