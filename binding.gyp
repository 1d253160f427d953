{
  # Baseline flags stay generic (no -march): the addon loads on any x86-64 or arm64 CPU. Each x86 ISA
  # is a static library with its own flags; only isa/<isa>.cc is compiled with them (kernels.h keeps
  # the shared header free of inline code, see TOOLCHAIN.md "COMDAT trap"). NEON is arm64's baseline.
  "target_defaults": {
    "cflags!": ["-fno-exceptions"],
    "cflags_cc": ["-O3", "-std=gnu++17", "-fno-exceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"],
    "defines": ["NAPI_VERSION=8"]
  },
  "targets": [
    {
      "target_name": "simdgrad_avx2",
      "type": "static_library",
      "sources": ["native/isa/avx2.cc"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-mavx2", "-mfma"] }]]
    },
    {
      # -mprfchw: the micro-kernel's C fetches become PREFETCHW (every AVX-512 CPU has it)
      "target_name": "simdgrad_avx512",
      "type": "static_library",
      "sources": ["native/isa/avx512.cc"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-mavx512f", "-mavx2", "-mfma", "-mprfchw", "-Wno-uninitialized"] }]]
    },
    {
      "target_name": "simdgrad",
      "sources": [
        "native/binding.cc",
        "native/dispatch.cc",
        "native/pool.cc",
        "native/arena.cc",
        "native/gemm/sgemm.cc",
        "native/ops/parallel.cc",
        "native/ops/elementwise.cc",
        "native/norm/binding_norm.cc",
        "native/norm/ops_norm.cc",
        "native/optim/binding_optim.cc",
        "native/optim/ops_optim.cc",
        "native/isa/scalar.cc",
        "native/isa/neon.cc"
      ],
      "dependencies": ["simdgrad_avx2", "simdgrad_avx512"],
      # never unloaded: the pool's threads run code of this library for the life of the process, and
      # Node would otherwise unmap it when the last worker_thread that loaded it exits
      "ldflags": ["-Wl,-z,nodelete"]
    }
  ]
}
