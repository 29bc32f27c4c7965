export { SUN, numaxFromLogg, loggFromNumax, dnuFromNumax, envelopeFwhm, envelopeHeight, granulation } from './scaling.js';
export { CADENCE_DAYS, simulateStar, starPowerDensity, type StarOptions, type SimulatedStar } from './simulate.js';
