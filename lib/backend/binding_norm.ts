// The addon's raw entry points for the norm kernel family (native/norm/binding_norm.cc).
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface RawNormBinding {}
