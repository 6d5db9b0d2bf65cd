//! The `iamspec` command line. STUB.
fn main() {}
