//! Evaluation benchmark. STUB.
fn main() {}
