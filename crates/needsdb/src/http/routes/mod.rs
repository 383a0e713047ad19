//! Routes, one module per resource.

pub mod accounts;
pub mod allocations;
pub mod analysis;
pub mod contributions;
pub mod coverage;
pub mod evidence;
pub mod exchange;
pub mod needs;
pub mod notifications;
pub mod ops;
pub mod reference;
pub mod searches;
