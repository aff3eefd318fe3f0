/** Shared helpers for cross-package tests and benchmarks. */
export {};
