//! The condition keys that limit what a statement allows, from
//! `rules/data/limiting_condition_keys.json` (each key with the AWS page documenting it).

use std::sync::OnceLock;

/// An entry of `rules/data/limiting_condition_keys.json` as written, compiled by `build.rs`.
struct Entry {
    key: &'static str,
    class: &'static str,
    source: &'static str,
}

const ENTRIES: &[Entry] = include!(concat!(env!("OUT_DIR"), "/limiting_condition_keys.rs"));

/// What a limiting key pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    /// Who calls, or from where: organisation, account, VPC, endpoint, IP range, source ARN.
    Source,
    /// Which resource, or which service's resource, the request may touch.
    Resource,
    /// Which service may receive a passed role.
    PassedToService,
    /// Tags only while creating the resource.
    CreateAction,
    /// Only resources carrying a tag.
    ResourceTag,
}

#[derive(Debug, Default)]
pub(crate) struct LimitingKeys {
    /// Lower-case keys, a trailing `/*` standing for any tag key, with what each pins.
    keys: Vec<(String, Limit)>,
    /// Entries that did not read (a unit test keeps it empty).
    pub errors: Vec<String>,
}

pub(crate) fn limiting_keys() -> &'static LimitingKeys {
    static KEYS: OnceLock<LimitingKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut out = LimitingKeys::default();
        for entry in ENTRIES {
            let limit = match entry.class {
                "source-pin" => Limit::Source,
                "resource-pin" => Limit::Resource,
                "passed-to-service" => Limit::PassedToService,
                "create-action" => Limit::CreateAction,
                "resource-tag" => Limit::ResourceTag,
                _ => {
                    out.errors.push(format!("key `{}`: class", entry.key));
                    continue;
                }
            };
            if entry.key.is_empty() || !entry.source.starts_with("https://") {
                out.errors
                    .push(format!("key `{}`: key or source", entry.key));
                continue;
            }
            out.keys.push((entry.key.to_ascii_lowercase(), limit));
        }
        out
    })
}

impl LimitingKeys {
    /// What `key` (lower case) pins when tested positively, if it is a limiting key.
    pub(crate) fn limit(&self, key: &str) -> Option<Limit> {
        self.keys
            .iter()
            .find(|(listed, _)| match listed.strip_suffix("/*") {
                Some(prefix) => key
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/')),
                None => listed == key,
            })
            .map(|(_, limit)| *limit)
    }

    /// The keys as listed (lower case), for tests against the catalog.
    #[cfg(test)]
    fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(key, _)| key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ActionSet, Catalog};

    #[test]
    fn every_key_reads_and_is_known_to_the_catalog() {
        let keys = limiting_keys();
        assert!(keys.errors.is_empty(), "{:?}", keys.errors);
        let catalog = Catalog::get();
        // SNS and SES still document `aws:SourceOwner`, which the reference no longer lists.
        for key in keys.names().filter(|k| *k != "aws:sourceowner") {
            // A tag key stands for any: ask about one.
            let key = key.replace("/*", "/team");
            assert!(
                catalog.condition_key(&key, &ActionSet::new()).is_some(),
                "{key} is not a condition key the catalog knows"
            );
        }
    }

    #[test]
    fn tag_keys_match_any_tag() {
        let keys = limiting_keys();
        assert_eq!(keys.limit("ssm:resourcetag/team"), Some(Limit::ResourceTag));
        assert_eq!(keys.limit("ssm:resourcetag/"), None);
        assert_eq!(keys.limit("kms:viaservice"), Some(Limit::Source));
        assert_eq!(keys.limit("s3:prefix"), None);
    }
}
