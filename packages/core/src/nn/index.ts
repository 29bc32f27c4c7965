/** Neural-network building blocks with PyTorch-style named parameters. */
export { Module } from './module.js';
