/** Test helpers: run one spec on every backend and compare with backend-aware tolerances. */
export { describeBackends, probeBackends } from './backends.js';
export type { BackendContext, BackendProbe } from './backends.js';
export { compareClose, assertClose, toleranceFor } from './close.js';
export type { Tolerance, CloseReport } from './close.js';
export {
  describePeer,
  requirePeer,
  probePeer,
  missingPeer,
  peersRequired,
  pythonPath,
  chromiumPath,
  runPython,
  peerSkipLabel,
} from './peers.js';
export type { PeerName, PeerProbe } from './peers.js';
export { runCliCases, captureCli } from './cli-cases.js';
export type { CliCase, CliCaseFiles, CliCasesOptions } from './cli-cases.js';
export { describeModelContract, predictionNumbers } from './contract.js';
export type { ModelContractSpec, ContractModel, ContractFitOptions } from './contract.js';
