// The addon's raw entry points for the optim kernel family (native/optim/binding_optim.cc).
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface RawOptimBinding {}
