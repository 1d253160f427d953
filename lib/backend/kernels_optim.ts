// The Backend interface's kernels for optimizer update steps (issue 5). Same rules as
// backend.ts: synchronous, destination-passing, never allocates; formula and edge semantics in each
// doc comment (the reference implementation in reference_optim.ts is the specification).
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface OptimKernels {}
