//! The pure domain layer of needsdb.
//!
//! Everything here is plain data and plain functions: no I/O, no async, no clock.
//! Values are parsed once at the edge into types that cannot be wrong ([`Iso3`],
//! [`ItemCode`], [`Quantity`], [`Money`]) and status changes go through state
//! machines that only allow legal transitions ([`NeedStatus`], [`Stage`]).

pub mod allocation;
pub mod catalog;
pub mod codes;
pub mod contribution;
pub mod decimal;
pub mod delivery;
pub mod earmark;
pub mod equity;
pub mod evidence;
pub mod item;
pub mod money;
pub mod need;
pub mod party;
pub mod reference;
pub mod validation;

pub use catalog::{Catalog, CountryFacts};
pub use codes::{Iso3, ItemCode, PartyCode};
pub use contribution::{
    Carried, ContributionEdit, ContributionKind, ContributionSpec, LinkSpec, LinkTarget, NewContribution, NewLink,
    Stage, StageChange, Valuation,
};
pub use delivery::{NewDelivery, Shipment};
pub use earmark::{Earmark, EarmarkPortion, EarmarkTarget, NewEarmark};
pub use money::{Currency, FxRate, Money};
pub use need::{NeedSpec, NeedStatus, NewNeed, People, Priority, Received, ReportChannel, Requested, Size};
pub use party::{OrgType, PartyKind};
pub use validation::{FieldError, Invalid};
