//! Code shared by the benchmarks and `examples/profile.rs`.

pub mod workload;
