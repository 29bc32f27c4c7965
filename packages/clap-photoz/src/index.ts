/**
 * `@astro/clap-photoz`: photometric-redshift probability densities for galaxies — the CLAP method
 * (supervised contrastive encoder, adaptive KNN, PIT recalibration, harmonic-mean ensemble), its
 * KNN baseline, and the LSST DESC qp/RAIL metric suite (point statistics, PIT tests, CRPS, CDE loss,
 * coverage), verified on real SDSS galaxies.
 * @packageDocumentation
 */
export { BANDS, parsePhotometry, readPhotometry, isMissingMag, photometryFromColumns } from './catalogue/photometry.js';
export { photometryFromArrow } from './catalogue/arrow.js';
export type { Photometry, PhotometryOptions } from './catalogue/photometry.js';
export { N_FEATURES, colourFeatures, fitStandardizer, standardize } from './catalogue/features.js';
export type { Standardizer } from './catalogue/features.js';
export { zGrid, gridZ, gridMax, normalizePdfs, cdfRow, cdfAt, pdfAt, assertOnGrid } from './pdf/grid.js';
export type { ZGrid, PdfSet } from './pdf/grid.js';
export { quantileSorted, median } from './metrics/quantile.js';
export { pointEstimates, pointMetrics } from './metrics/point.js';
export type { PointEstimates, PointMetrics } from './metrics/point.js';
export { pit, ksUniform, cvmUniform, adUniform, w1Uniform, pitHistogram, coverage } from './metrics/pit.js';
export { crps, cdeLoss } from './metrics/crps.js';
export { evaluatePdfs } from './metrics/suite.js';
export type { PhotozMetrics } from './metrics/suite.js';
export { neighbours, knnPdfs } from './knn/knn-pdf.js';
export type { Neighbours } from './knn/knn-pdf.js';
export { ClapEncoder, DEFAULT_ENCODER, trainEncoder, encode, redrawMagnitudes, binPdfs, redshiftContrastLoss } from './clap/encoder.js';
export type { EncoderConfig, EncoderFitOptions } from './clap/encoder.js';
export { DEFAULT_ADAPTIVE, trainingPits, chooseK, adaptiveKnnPdfs } from './clap/adaptive-knn.js';
export type { AdaptiveKnnOptions } from './clap/adaptive-knn.js';
export { fitRecalibration, recalMap, recalSlope, recalibratePdfs } from './clap/recalibrate.js';
export type { PitRecalibration } from './clap/recalibrate.js';
export { harmonicEnsemble } from './clap/ensemble.js';
export { ClapPhotoz } from './clap/model.js';
export type { ClapConfig, ClapFitOptions, ClapPrediction } from './clap/model.js';
export { FEATURE_NAMES } from './catalogue/features.js';
export type { ClapRealisation, ClapState } from './clap/state.js';
export { CLAP_KIND, CLAP_SCHEMA_VERSION, CLAP_TRAINING_FILE, encodeClap, decodeClap } from './persist/clap.js';
export type { ClapFiles } from './persist/clap.js';
export { KnnPhotoz, KNN_KIND } from './baselines/knn.js';
export type { KnnConfig } from './baselines/knn.js';
export { SoftmaxPhotoz, SOFTMAX_KIND } from './baselines/softmax.js';
export { metricsTable } from './metrics/table.js';
export { loadBundle, saveBundle, predictBundle, BASELINE_DIRS } from './persist/bundle.js';
export type { PhotozBundle, BundleDataOptions } from './persist/bundle.js';
export { TEMPLATE_NAMES, parseSed, parseFilter, loadSdssFilters, loadSedTemplates } from './sed/spectra.js';
export type { Sed, Filter } from './sed/spectra.js';
export { bandFnu, abMagnitude, C_ANGSTROM_PER_S, AB_ZERO_FNU } from './sed/magnitudes.js';
export { DEFAULT_COSMOLOGY, comovingDistanceMpc, luminosityDistanceMpc, distanceModulus, comovingVolumeElement } from './sed/cosmology.js';
export type { Cosmology } from './sed/cosmology.js';
export { SDSS_ERROR_MODEL, fitMagErrorModel, medianMagError } from './sed/mag-errors.js';
export type { MagErrorModel } from './sed/mag-errors.js';
export { bandTable, mixedBandFlux } from './sed/band-table.js';
export type { BandTable } from './sed/band-table.js';
export { simulateCatalogue } from './sed/simulate.js';
export type { SimulationOptions, SimulatedCatalogue } from './sed/simulate.js';
export { TemplateFitPhotoz, TEMPLATE_FIT_KIND } from './template/fit.js';
export type { TemplateFitConfig, TemplateFitCalibration, TemplateFitJson } from './template/fit.js';
export { lnGamma, logPrior, fitRedshiftPrior } from './template/prior.js';
export type { RedshiftPrior } from './template/prior.js';
export { RefitNetwork, DEFAULT_REFIT, trainRefit, refitPdfs, binProbabilities } from './clap/refit.js';
export type { RefitConfig } from './clap/refit.js';
export { angularDiameterDistanceMpc } from './sed/cosmology.js';
export { gammaP } from './images/gamma.js';
export { sersicB, renderSersic, apertureRadius } from './images/sersic.js';
export type { SersicProfile } from './images/sersic.js';
export { psfKernel, convolvePadded } from './images/psf.js';
export type { Psf } from './images/psf.js';
export { medianSizeKpc } from './images/sizes.js';
export { simulateCutouts, magToNanomaggies } from './images/simulate.js';
export type { Cutouts, CutoutOptions } from './images/simulate.js';
export { Conv2d } from './images/conv2d.js';
export { ImageEncoder, DEFAULT_IMAGE_ENCODER } from './images/encoder.js';
export type { ImageEncoderConfig } from './images/encoder.js';
export { checkCutouts, cutoutSoftening, stretchCutouts, dihedral } from './images/prepare.js';
export type { CutoutImages } from './images/prepare.js';
export { trainImageEncoder, encodeImages } from './images/train.js';
export type { ImageTrainingSet } from './images/train.js';
export { ClapImagePhotoz } from './images/model.js';
export type { ClapImageConfig, ClapImageRealisation, ClapImageState } from './images/model.js';
export { CLAP_IMAGE_KIND, CLAP_IMAGE_SCHEMA_VERSION, encodeClapImages, decodeClapImages } from './persist/clap-images.js';
export type { ClapImageFiles } from './persist/clap-images.js';
