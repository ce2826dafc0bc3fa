//! `iamlint diff`: what one revision grants that another did not, per principal, computed on
//! effective permissions rather than text. Each revision is one run of the pipeline
//! (`engine::run` on a `Snapshot`, keeping its documents and inputs); this layer reads both
//! runs' principals, access graphs and resource policies and compares them:
//! - access: each (action, resource) a principal's effective permissions allow (patterns
//!   expanded with the catalog, unconditional `Deny` subtracted, boundaries applied) that
//!   the other revision does not cover (an action its grants hold, a resource one of its
//!   patterns matches, under conditions no broader), or covers only under a condition
//!   that is gone or broader;
//! - escalation: the chain the access graph finds from a principal, when the other revision
//!   finds no such chain from it;
//! - trust: who may assume a role;
//! - exposure: resource policies open to anyone or naming another account.
//!
//! Principals are named by their key (the Terraform module directory or CloudFormation
//! template, kind, address or logical id), which a refactor inside one principal's policies
//! leaves alone: moving statements, renaming a `Sid`, reordering actions change nothing here.

mod access;

use crate::base::source::{Span, locate_position};
use crate::engine::RunOutput;
use crate::rules::principal::{self, Key};
use std::path::Path;

/// What kind of change a revision makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Actions on resources the other revision does not allow.
    NewAccess,
    /// Access the other revision allows only under a condition that is gone or broader.
    ConditionRemoved,
    /// A chain to more power the access graph did not find before.
    NewEscalationPath,
    /// A principal that may newly assume a role.
    NewTrust,
    /// A resource policy newly open to anyone or to another account.
    NewExposure,
    /// Access, trust or exposure the head revision no longer has (information).
    RemovedAccess,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::NewAccess,
        Kind::ConditionRemoved,
        Kind::NewEscalationPath,
        Kind::NewTrust,
        Kind::NewExposure,
        Kind::RemovedAccess,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::NewAccess => "new-access",
            Kind::ConditionRemoved => "condition-removed",
            Kind::NewEscalationPath => "new-escalation-path",
            Kind::NewTrust => "new-trust",
            Kind::NewExposure => "new-exposure",
            Kind::RemovedAccess => "removed-access",
        }
    }

    /// One line on what the kind means, for the SARIF rule list.
    pub const fn description(self) -> &'static str {
        match self {
            Kind::NewAccess => {
                "The change allows a principal actions on resources it could not reach before"
            }
            Kind::ConditionRemoved => {
                "The change removes or broadens a condition that limited a principal's access"
            }
            Kind::NewEscalationPath => {
                "The change gives a principal a new way to gain more permissions"
            }
            Kind::NewTrust => "The change lets a new principal assume a role",
            Kind::NewExposure => {
                "The change opens a resource policy to anyone or to another account"
            }
            Kind::RemovedAccess => "The change removes access (information)",
        }
    }

    /// Whether it adds access: what `--fail-on-new-access` fails on.
    pub const fn adds_access(self) -> bool {
        !matches!(self, Kind::RemovedAccess)
    }
}

/// Where a change is written, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One step of an escalation chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub from: String,
    pub to: String,
    /// The pathfinding.cloud id.
    pub path: String,
    pub text: String,
}

/// One thing the head revision changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    /// Who or what it is about: `role `aws_iam_role.app` (infra)`.
    pub subject: String,
    pub message: String,
    /// In the head revision (for removed access, where the principal is still declared);
    /// `None` when it has no place there.
    pub at: Option<At>,
    /// The actions concerned, sorted.
    pub actions: Vec<String>,
    /// The resource pattern, principal or exposure concerned.
    pub resource: Option<String>,
    /// For a new escalation path, its chain.
    pub chain: Vec<Hop>,
}

/// The comparison of two revisions.
#[derive(Debug, Default)]
pub struct Diff {
    pub base: String,
    pub head: String,
    /// Sorted by subject, kind, place and message: the same at any thread count.
    pub changes: Vec<Change>,
    /// Files that could not be read in either revision.
    pub errors: Vec<String>,
}

impl Diff {
    pub fn adds_access(&self) -> bool {
        self.changes.iter().any(|c| c.kind.adds_access())
    }
}

/// What `head` changes relative to `base` (both runs kept their documents and inputs).
/// `renamed` is a file of the base run and the file of the head run it is compared with, when
/// they differ (two plan JSON files): the base's principals are then named as the head's.
pub fn compare(base: &RunOutput, head: &RunOutput, renamed: Option<(&Path, &Path)>) -> Vec<Change> {
    let before = access::Summary::of(base, renamed);
    let after = access::Summary::of(head, None);
    let mut changes = Vec::new();
    for found in access::additions(&after, &before) {
        changes.push(found.into_change(head, None));
    }
    for found in access::additions(&before, &after) {
        // Removed: shown where the principal still is in the head revision, if it is.
        let home = after.home(&found.key).map(|span| locate(head, span));
        changes.push(found.into_removal(home));
    }
    changes.sort_by(|a, b| {
        (&a.subject, a.kind, place(&a.at), &a.message).cmp(&(
            &b.subject,
            b.kind,
            place(&b.at),
            &b.message,
        ))
    });
    changes.dedup();
    changes
}

fn place(at: &Option<At>) -> (String, usize, usize) {
    at.as_ref()
        .map(|at| (at.path.clone(), at.line, at.column))
        .unwrap_or_default()
}

fn locate(run: &RunOutput, span: Span) -> At {
    let location = locate_position(&run.sources, span);
    At {
        path: location.path,
        line: location.start.line,
        column: location.start.column,
        end_line: location.end.line,
        end_column: location.end.column,
    }
}

/// How a change names a principal: as every message does (``role `app` ``), with where the
/// name means something: ``role `app` (infra)``.
pub(crate) fn describe(key: &Key) -> String {
    let (scope, kind, address) = key;
    format!(
        "{} ({})",
        principal::describe(*kind, address),
        scope_name(scope)
    )
}

/// A resource policy's owner: `resource `aws_s3_bucket_policy.b` (infra)`.
pub(crate) fn describe_resource(scope: &Path, address: &str) -> String {
    format!("resource `{address}` ({})", scope_name(scope))
}

fn scope_name(scope: &Path) -> String {
    let shown = crate::base::source::display_path(scope);
    if shown.is_empty() { ".".into() } else { shown }
}
