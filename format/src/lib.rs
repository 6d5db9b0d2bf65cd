//! The iamspec corpus case format.
//!
//! STUB: to be written.
