//! Generators of random but meaningful IAM policies and requests (see the generators issue).
//!
//! Not written yet: this crate is a placeholder in the workspace so that the layout of
//! DESIGN.md holds from the start.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
