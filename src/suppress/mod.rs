//! Applying suppressions (comments, CloudFormation `Metadata`, the configuration's
//! `[[ignore]]` entries) to the findings of a run, reporting those that suppress nothing;
//! and baselines, which accept the findings of an earlier run.

pub(crate) mod baseline;

use crate::base::finding::Finding;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceMap, Span};
use crate::extract::suppressions::{Suppression, SuppressionKind};
use crate::rules::unused_suppression;
use globset::GlobMatcher;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One `[[ignore]]` entry of the configuration: findings of `rule` in files matching `path`
/// (and in the statement with `sid`, when given) are suppressed.
#[derive(Clone, Debug)]
pub struct ConfigIgnore {
    pub path: String,
    pub matcher: GlobMatcher,
    pub rule: RuleId,
    pub sid: Option<String>,
    pub reason: String,
    /// Byte range of the entry in the configuration file.
    pub span: Range<usize>,
}

/// A finding a suppression (or the baseline) kept out of the results.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub finding: Finding,
    pub kind: SuppressionKind,
    pub reason: String,
}

/// What `apply` needs to know of the run.
pub(crate) struct Applying<'a> {
    /// The configuration's `[[ignore]]` entries.
    pub ignores: &'a [ConfigIgnore],
    /// Paths of checked files relative to the configuration's directory, where `[[ignore]]`
    /// paths are matched (`None`: outside it).
    pub relative: &'a dyn Fn(&Path) -> Option<PathBuf>,
    /// The configuration file and its text: unused `[[ignore]]` entries point into it.
    pub config_file: Option<&'a (PathBuf, String)>,
    /// Rules that ran: a suppression of a rule that did not run is not "unused".
    pub enabled: &'a dyn Fn(RuleId) -> bool,
    /// The statements of each file's documents, with their `Sid`s: a suppression comment on
    /// any line of a statement covers the findings in it, and `[[ignore]]` entries name them.
    pub statements: &'a HashMap<FileId, Vec<(Option<String>, Span)>>,
    /// Files whose findings are reported: an `[[ignore]]` entry is judged unused only when
    /// one of them matches its path.
    pub checked: &'a HashSet<FileId>,
}

/// Moves suppressed findings out of `findings`, and reports suppressions that suppress
/// nothing (when `unused-suppression` is enabled).
pub(crate) fn apply(
    sources: &SourceMap,
    findings: &mut Vec<Finding>,
    suppressions: &[Suppression],
    applying: &Applying<'_>,
) -> Vec<Suppressed> {
    // A child module's file read on its own and through a module that calls it is one file
    // with two ids: its suppressions are matched by path, and each is counted once.
    let path_of = |file: FileId| sources.get(file).path().to_path_buf();
    let mut seen = HashSet::new();
    let suppressions: Vec<&Suppression> = suppressions
        .iter()
        .filter(|s| {
            let scope = (s.scope.start, s.scope.end, s.at.start, s.at.end);
            seen.insert((path_of(s.scope.file), s.rule, scope))
        })
        .collect();
    let mut by_file: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    for (index, suppression) in suppressions.iter().enumerate() {
        by_file
            .entry(path_of(suppression.scope.file))
            .or_default()
            .push(index);
    }
    let mut used = vec![false; suppressions.len()];
    let ignores = applying.ignores;
    let mut ignore_used = vec![false; ignores.len()];
    // Which [[ignore]] entries match which files, computed once per file.
    let mut ignore_files: HashMap<FileId, Vec<usize>> = HashMap::new();
    let mut ignore_seen_file = vec![false; ignores.len()];
    if !ignores.is_empty() {
        for &file in applying.checked {
            let path = sources.get(file).path().to_path_buf();
            let matching: Vec<usize> = ignores
                .iter()
                .enumerate()
                .filter(|(_, ignore)| {
                    (applying.relative)(&path)
                        .is_some_and(|relative| ignore.matcher.is_match(relative))
                })
                .map(|(index, _)| index)
                .collect();
            for &index in &matching {
                ignore_seen_file[index] = true;
            }
            ignore_files.insert(file, matching);
        }
    }
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for finding in findings.drain(..) {
        let span = finding.primary;
        let statement = innermost_statement(applying.statements.get(&span.file), span);
        let inline = by_file.get(&path_of(span.file)).and_then(|candidates| {
            candidates.iter().copied().find(|&index| {
                let s = &suppressions[index];
                s.rule == finding.rule && (covers(s.scope, span) || overlaps(s.scope, statement))
            })
        });
        if let Some(index) = inline {
            used[index] = true;
            suppressed.push(Suppressed {
                kind: suppressions[index].kind,
                reason: suppressions[index].reason.clone(),
                finding,
            });
            continue;
        }
        let configured = ignore_files.get(&span.file).and_then(|candidates| {
            candidates.iter().copied().find(|&index| {
                let ignore = &ignores[index];
                ignore.rule == finding.rule
                    && ignore.sid.as_ref().is_none_or(|sid| {
                        applying
                            .statements
                            .get(&span.file)
                            .is_some_and(|statements| {
                                statements.iter().any(|(id, statement)| {
                                    id.as_ref() == Some(sid)
                                        && statement.start <= span.start
                                        && span.end <= statement.end
                                })
                            })
                    })
            })
        });
        if let Some(index) = configured {
            ignore_used[index] = true;
            suppressed.push(Suppressed {
                kind: SuppressionKind::Config,
                reason: ignores[index].reason.clone(),
                finding,
            });
            continue;
        }
        kept.push(finding);
    }
    *findings = kept;
    // In a file that does not parse, every suppression would look unused.
    let unparsed: HashSet<PathBuf> = findings
        .iter()
        .chain(suppressed.iter().map(|s| &s.finding))
        .filter(|f| f.rule == RuleId::ParseError)
        .map(|f| path_of(f.primary.file))
        .collect();
    if (applying.enabled)(RuleId::UnusedSuppression) {
        for (suppression, used) in suppressions.iter().zip(&used) {
            if !used
                && (applying.enabled)(suppression.rule)
                && !unparsed.contains(&path_of(suppression.scope.file))
            {
                findings.push(unused_suppression::finding(
                    suppression.at,
                    suppression.rule,
                    suppression.kind,
                ));
            }
        }
        let unused_ignores: Vec<usize> = (0..ignores.len())
            .filter(|&i| {
                !ignore_used[i] && ignore_seen_file[i] && (applying.enabled)(ignores[i].rule)
            })
            .collect();
        if !unused_ignores.is_empty()
            && let Some((path, text)) = applying.config_file
        {
            let file = config_file(sources, path, text);
            for index in unused_ignores {
                let ignore = &ignores[index];
                let span = Span::new(file, ignore.span.start, ignore.span.end);
                findings.push(unused_suppression::finding(
                    span,
                    ignore.rule,
                    SuppressionKind::Config,
                ));
            }
        }
    }
    suppressed
}

/// Whether a suppression's region covers a finding: it holds the start of its span.
fn covers(scope: Span, span: Span) -> bool {
    scope.start <= span.start && span.start <= scope.end
}

/// Whether a suppression's region shares a byte with the statement of a finding: a comment
/// on any line of the statement (`Action: iam:PassRole`, the opening `{`, its `Sid`)
/// covers every finding of that statement, wherever in it the finding points. Offsets are
/// compared as the file's own: a file read under two ids has the same text under both.
fn overlaps(scope: Span, statement: Option<Span>) -> bool {
    statement.is_some_and(|statement| scope.start < statement.end && statement.start < scope.end)
}

/// The smallest statement that holds `span`.
fn innermost_statement(
    statements: Option<&Vec<(Option<String>, Span)>>,
    span: Span,
) -> Option<Span> {
    statements?
        .iter()
        .map(|(_, statement)| *statement)
        .filter(|statement| statement.start <= span.start && span.end <= statement.end)
        .min_by_key(|statement| statement.end - statement.start)
}

fn config_file(sources: &SourceMap, path: &Path, text: &str) -> FileId {
    let shown: PathBuf = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            std::path::absolute(path)
                .ok()?
                .strip_prefix(cwd)
                .ok()
                .map(|p| p.to_path_buf())
        })
        .unwrap_or_else(|| path.to_path_buf());
    sources
        .find(&shown)
        .unwrap_or_else(|| sources.add(shown, text.to_string()).0)
}
