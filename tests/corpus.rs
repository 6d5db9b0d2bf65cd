//! Corpus runner. STUB.
fn main() {}
