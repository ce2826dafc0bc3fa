//! The vocabulary every layer shares: source text and spans, the value tree extractors build,
//! findings and rule identities, and did-you-mean suggestions. Imports nothing of the crate.

pub mod finding;
pub mod rule_id;
pub mod source;
pub mod suggest;
pub mod unread;
pub mod value;
