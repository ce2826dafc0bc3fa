//! The template as the extractor sees it (resource types by logical id, `Mappings`), one
//! resource, and the extractor's state: shared by the walk over resources (`mod.rs`), the
//! carrier tables (`carriers`), SAM (`sam`) and the lowering of values (`lower`).

use super::tree::Node;
use crate::base::finding::Problem;
use crate::base::source::{FileId, Span};
use crate::base::value::Value;
use crate::extract::document::{Attachment, PolicyKind};
use crate::extract::link::Links;
use rustc_hash::{FxHashMap, FxHashSet};

/// What the lowering needs to know of the whole template.
pub(super) struct Template<'t> {
    pub file: FileId,
    pub text: &'t str,
    pub mappings: Option<&'t Node>,
    /// Logical id to resource type, including the roles SAM creates (`MyFunctionRole`).
    pub(super) types: FxHashMap<String, String>,
}

impl Template<'_> {
    pub(super) fn resource_type(&self, id: &str) -> Option<&str> {
        self.types.get(id).map(String::as_str)
    }
}

/// One entry of `Resources`.
pub(super) struct Resource<'t> {
    pub id: &'t str,
    pub id_span: Span,
    pub resource_type: &'t str,
    pub properties: Option<&'t Node>,
    /// The resource's `Condition`, when it exists only under one.
    pub condition: Option<&'t str>,
}

/// A document found, before the links between resources are resolved.
pub(super) struct Found {
    pub(super) owner: String,
    pub(super) attribute: String,
    pub(super) kind: PolicyKind,
    pub(super) value: Value,
    pub(super) attachments: Vec<Attachment>,
    pub(super) notes: Vec<String>,
}

pub(super) struct Extractor<'t> {
    pub(super) template: &'t Template<'t>,
    pub(super) found: Vec<Found>,
    pub(super) links: Links,
    pub(super) diagnostics: Vec<Problem>,
    /// Nodes lowered as policy documents: the policy parser reports their duplicate keys.
    pub(super) document_spans: FxHashSet<(u32, u32)>,
}
