//! # iamspec-format — the corpus case format
//!
//! The types of a case file ([`case`]), usable without the reference evaluator: an evaluator
//! written by someone else can load the corpus with this crate alone. [`load`] reads and checks
//! case files, [`features`] and [`error_kinds`] read the two vocabularies (`corpus/features.json`,
//! `corpus/error-kinds.json`), and [`names`] holds the closed lists of names a case may use.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod case;
pub mod error_kinds;
pub mod features;
pub mod load;
pub mod locate;
pub mod names;
pub mod protocol;
pub mod values;
mod vocabulary;

pub use case::*;

pub use error_kinds::ErrorKinds;
pub use features::Features;
pub use load::{
    find_case_files, load_case_file, load_case_str, load_dir, validate, CaseFile, LoadError,
    LoadedCase, Violation,
};
