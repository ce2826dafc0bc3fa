//! Privilege-escalation paths (`rules/data/privilege_escalation.json`) matched against effective
//! permissions, for one document or for everything attached to one principal.

use super::effective::{ConditionClass, Effective, Hit, Reach};
use crate::base::finding::Confidence;
use crate::catalog::{ActionId, ActionSet, Catalog, NamedAction};
use std::sync::OnceLock;

/// An entry of `rules/data/privilege_escalation.json` as written, compiled by `build.rs`.
struct Entry {
    id: &'static str,
    family: &'static str,
    summary: &'static str,
    requires: &'static [NamedAction],
    has_source: bool,
}

const ENTRIES: &[Entry] = include!(concat!(env!("OUT_DIR"), "/privilege_escalation.rs"));

#[derive(Debug)]
pub struct Path {
    pub id: String,
    pub family: String,
    pub summary: String,
    /// Every action the path needs, resolved against the catalog.
    pub requires: Vec<ActionId>,
    /// The service prefixes of `requires`, for `iam:PassedToService` pins.
    pub services: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Paths {
    pub paths: Vec<Path>,
    /// `iam:PassRole`, looked up once rather than for every principal.
    pass_role: Option<ActionId>,
    /// Entries or action names that did not resolve (a unit test keeps it empty).
    pub errors: Vec<String>,
}

pub(crate) fn paths() -> &'static Paths {
    static PATHS: OnceLock<Paths> = OnceLock::new();
    PATHS.get_or_init(|| {
        let catalog = Catalog::get();
        let mut out = Paths {
            pass_role: catalog.pass_role(),
            ..Paths::default()
        };
        for entry in ENTRIES {
            let requires: Vec<ActionId> = entry.requires.iter().filter_map(|(_, id)| *id).collect();
            if entry.id.is_empty()
                || requires.is_empty()
                || requires.len() != entry.requires.len()
                || !entry.has_source
            {
                out.errors.push(format!("path `{}`", entry.id));
                continue;
            }
            let services = entry
                .requires
                .iter()
                .filter_map(|(name, _)| name.split(':').next())
                .map(str::to_ascii_lowercase)
                .collect();
            out.paths.push(Path {
                id: entry.id.to_string(),
                family: entry.family.to_string(),
                summary: entry.summary.to_string(),
                requires,
                services,
            });
        }
        out
    })
}

/// A path that the permissions allow, with the grant of each action it needs.
#[derive(Debug)]
pub struct PathMatch<'p, 'g, 'a, 'v> {
    pub path: &'p Path,
    /// One hit per required action, in the order of `requires`.
    pub hits: Vec<Hit<'g, 'a, 'v>>,
    pub confidence: Confidence,
}

impl PathMatch<'_, '_, '_, '_> {
    /// The hit the finding points at: the most specific enabling action, i.e. the first one
    /// that is not `iam:PassRole` (the service action is what turns a passable role into
    /// code running as it).
    pub fn primary(&self) -> usize {
        let pass_role = paths().pass_role;
        self.path
            .requires
            .iter()
            .position(|id| Some(*id) != pass_role)
            .unwrap_or(0)
    }

    /// The distinct policies involved.
    pub fn policies(&self) -> Vec<usize> {
        let mut policies: Vec<usize> = self.hits.iter().map(|h| h.grant.policy).collect();
        policies.sort_unstable();
        policies.dedup();
        policies
    }
}

/// Every path the view allows.
pub(crate) fn find<'g, 'a, 'v>(
    effective: &'g Effective<'a, 'v>,
) -> Vec<PathMatch<'static, 'g, 'a, 'v>> {
    let pass_role = paths().pass_role;
    // Only a grant that holds an action hits it: a path that needs an action no grant
    // holds is skipped before its grants are searched (most paths, in most policies).
    let mut granted = ActionSet::new();
    for grant in &effective.grants {
        granted.union_with(&grant.actions);
    }
    let mut out = Vec::new();
    for path in &paths().paths {
        if !path.requires.iter().all(|&action| granted.contains(action)) {
            continue;
        }
        let mut hits = Vec::with_capacity(path.requires.len());
        let mut confidence = if path.family == "existing-resource" {
            // Only an escalation when a more privileged resource already exists.
            Confidence::Medium
        } else {
            Confidence::High
        };
        for &action in &path.requires {
            let best = effective
                .hits(action)
                .filter_map(|hit| {
                    Some((
                        hit,
                        strength(&hit, action, Some(action) == pass_role, &path.services)?,
                    ))
                })
                .max_by_key(|(hit, c)| (*c, hit.reach));
            let Some((hit, c)) = best else {
                break;
            };
            confidence = confidence.min(c);
            hits.push(hit);
        }
        if hits.len() == path.requires.len() {
            out.push(PathMatch {
                path,
                hits,
                confidence,
            });
        }
    }
    out
}

/// How far one grant of a needed action can be trusted to work for an attacker, or `None`
/// when its resources or conditions block the path.
fn strength(
    hit: &Hit<'_, '_, '_>,
    action: ActionId,
    is_pass_role: bool,
    services: &[String],
) -> Option<Confidence> {
    let mut confidence = match hit.reach {
        Reach::Everything | Reach::Wildcard => Confidence::High,
        Reach::Unknown => Confidence::Low,
        // A named policy, role or function: escalation only if that one resource is
        // privileged, which the code does not show.
        Reach::Scoped => return None,
    };
    for (class, condition) in hit.grant.tests_for(action) {
        match class {
            ConditionClass::Weak => {}
            // Pinning the receiving service only blocks paths through other services.
            ConditionClass::PassedToService if is_pass_role => {
                let pinned_here = condition.values.iter().any(|v| match v.as_str() {
                    Some(service) => services.iter().any(|s| {
                        service
                            .split('.')
                            .next()
                            .is_some_and(|p| p.starts_with(s.as_str()))
                    }),
                    None => true,
                });
                if !pinned_here {
                    return None;
                }
            }
            ConditionClass::Other | ConditionClass::PrincipalTag => {
                confidence = confidence.min(Confidence::Low);
            }
            _ => return None,
        }
    }
    if hit.grant.unknown_actions {
        confidence = confidence.min(Confidence::Medium);
    }
    Some(confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_resolves_and_names_a_source() {
        let paths = paths();
        assert!(paths.errors.is_empty(), "{:?}", paths.errors);
        assert!(paths.paths.len() >= 30);
    }

    #[test]
    fn the_ids_written_at_build_time_are_the_catalogs() {
        let catalog = Catalog::get();
        for (name, id) in ENTRIES.iter().flat_map(|entry| entry.requires) {
            assert_eq!(*id, catalog.action(name), "{name}");
        }
    }
}
