//! The vocabulary every layer shares: source text and spans, the value tree extractors build,
//! findings and rule identities, did-you-mean suggestions, and
//! making untrusted text safe to print. Imports nothing of the crate.

pub mod finding;
pub mod rule_id;
pub mod source;
pub mod suggest;
pub mod text;
pub mod unread;
pub mod value;
