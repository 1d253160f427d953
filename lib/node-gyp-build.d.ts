// node-gyp-build ships no types.
declare module 'node-gyp-build' {
  function load(dir: string): unknown;
  export = load;
}
