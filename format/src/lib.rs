//! # iamspec-format — the corpus case format
//!
//! The types of a case file ([`case`]), usable without the reference evaluator: an evaluator
//! written by someone else can load the corpus with this crate alone.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod case;
pub mod load;

pub use case::*;
