//! "Did you mean" suggestions for unknown actions, services and condition keys.
//
// Plain edit distance misses the mistakes people really make with IAM names: a plural
// (`s3:GetObjects`), a shortened name (`s3:ListBuckets` for `s3:ListAllMyBuckets`), another
// verb (`ec2:GetInstances` for `ec2:DescribeInstances`), a service's product name instead of
// its prefix (`stepfunctions` for `states`, `elb` for `elasticloadbalancing`). Each habit is a
// scoring rule below; edit distance is the fallback.

use rustc_hash::FxHashMap;
use std::sync::Mutex;

use super::conditions::find_global;
use super::curated::curated;
use super::{ActionId, ActionSet, Catalog};
use crate::base::suggest::{distance_at_most, either};
use crate::base::text::clip;

/// At most this many suggestions are returned.
const MAX: usize = 3;

/// Verbs AWS uses for reads, which people swap for one another.
const READ_VERBS: [&str; 5] = ["get", "describe", "list", "read", "fetch"];

impl Catalog {
    /// Likely intended services for an unknown service prefix, best first.
    pub fn suggest_service(&'static self, prefix: &str) -> Vec<String> {
        if prefix.len() > longest_service_name(self) + LENGTH_MARGIN {
            return vec![];
        }
        memo(&SERVICE_MEMO, prefix, || {
            self.suggest_service_uncached(prefix)
        })
    }

    fn suggest_service_uncached(&'static self, prefix: &str) -> Vec<String> {
        let query = prefix.to_ascii_lowercase();
        let loose = alnum(&query);
        if loose.is_empty() {
            return vec![];
        }
        let mut scored: Vec<(usize, &'static str)> = Vec::new();
        for names in service_names(self) {
            let p = names.prefix;
            let score = if p == query {
                continue;
            } else if names.loose == loose {
                0
            } else if names.product == loose || names.acronym == loose {
                1
            } else if loose.len() >= 3 && names.acronym.starts_with(&loose) {
                2 // `elb` for Elastic Load Balancing V2 (`elbv2`)
            } else if loose.len() >= 3 && (p.starts_with(&query) || names.loose.starts_with(&loose))
            {
                3 + p.len() - query.len()
            } else {
                let Some(d) = distance_at_most(&query, p, tolerance(query.len())) else {
                    continue;
                };
                2 + 2 * d
            };
            scored.push((score, p));
        }
        best(scored)
    }

    /// Likely intended actions for an unknown `service:Action`, best first, canonical casing.
    pub fn suggest_action(&'static self, name: &str) -> Vec<String> {
        let action = name.split_once(':').map_or(name, |(_, action)| action);
        if action.len() > longest_action_name(self) + LENGTH_MARGIN {
            return vec![];
        }
        memo(&ACTION_MEMO, name, || self.suggest_action_uncached(name))
    }

    fn suggest_action_uncached(&'static self, name: &str) -> Vec<String> {
        let Some((svc, act)) = name.split_once(':') else {
            return vec![];
        };
        let services: Vec<usize> = match self.service_index(svc) {
            Some(s) => vec![s],
            None => self
                .suggest_service(svc)
                .iter()
                .filter_map(|p| self.service_index(p))
                .collect(),
        };
        let query = Query::new(act);
        let mut scored = Vec::new();
        // An API operation written for the action that authorizes it: s3:ListBuckets.
        for (written, targets) in &curated().aliases {
            if written.eq_ignore_ascii_case(name) {
                scored.extend(
                    targets
                        .iter()
                        .filter_map(|t| self.action(t))
                        .map(|id| (0, id)),
                );
            }
        }
        for (rank, &s) in services.iter().enumerate() {
            for id in self.blob.svc_actions(s) {
                let cand = self.blob.action_name(id);
                if let Some(score) = query.score(cand) {
                    scored.push((score + 10 * rank, ActionId(id as u16)));
                }
            }
        }
        if scored.is_empty() && self.service_index(svc).is_some() {
            // The right action name under the wrong prefix: `ec2:GetObject` -> `s3:GetObject`;
            // prefer prefixes that look like the one written.
            let blob = &self.blob;
            let range = blob.prefix_range_ci(0..blob.n_actions(), act.as_bytes(), |i| {
                blob.action_name_bytes(blob.name_index(i))
            });
            let svc = svc.to_ascii_lowercase();
            for i in range {
                let id = blob.name_index(i);
                if blob.action_name(id).eq_ignore_ascii_case(act) {
                    let prefix = blob.service_prefix(blob.service_of_action(id));
                    // `payments:GetAccountBalance` is not `mechanicalturk:GetAccountBalance`:
                    // only a prefix that could be a slip of the keyboard is worth a guess.
                    if let Some(d) = distance_at_most(&svc, prefix, tolerance(svc.len()).max(3)) {
                        scored.push((d, ActionId(id as u16)));
                    }
                }
            }
        }
        scored.sort_by_key(|(score, id)| (*score, *id));
        let mut out: Vec<String> = Vec::new();
        for (_, id) in scored {
            let q = self.qualified_name(id);
            if !out.contains(&q) {
                out.push(q);
            }
            if out.len() == MAX {
                break;
            }
        }
        out
    }

    /// Likely intended condition keys for one that is not known for `actions`, best first.
    /// A templated suggestion keeps the user's tag key: `aws:RequestTags/Owner` gives
    /// `aws:RequestTag/Owner`.
    pub fn suggest_condition_key(&'static self, key: &str, actions: &ActionSet) -> Vec<String> {
        // The longest keys are tag keys: a fixed part and a tag key of at most 128
        // characters, which a suggestion keeps as written.
        if key.len() > 128 + longest_condition_key(self) + LENGTH_MARGIN
            || find_global(curated(), key).is_some()
        {
            return vec![];
        }
        let mut candidates: Vec<&'static str> =
            curated().global_keys.iter().map(|g| g.name).collect();
        let prefix_svc = key.split_once(':').and_then(|(p, _)| self.service_index(p));
        let mut services: Vec<usize> = self.services_of(actions).collect();
        services.extend(prefix_svc);
        for svc in services {
            candidates.extend(self.blob.svc_keys(svc).map(|k| self.blob.key_name(k)));
        }
        let query = key.to_ascii_lowercase();
        let mut scored: Vec<(usize, String)> = Vec::new();
        for cand in candidates {
            if let Some(s) = key_suggestion(&query, key, cand) {
                scored.push(s);
            }
        }
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, s) in scored {
            if !s.eq_ignore_ascii_case(key) && !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
                out.push(s);
            }
            if out.len() == MAX {
                break;
            }
        }
        out
    }

    /// Why a pattern matches no action: it is retired, or a did-you-mean of what is close.
    pub fn explain_no_match(&'static self, pattern: &str) -> String {
        let catalog = self;
        let prefix = pattern
            .split_once(':')
            .map_or(pattern, |(prefix, _)| prefix);
        if let Some(retired) = catalog
            .retired_action(pattern)
            .or_else(|| catalog.retired_service(prefix))
        {
            return format!("`{}` is retired: {}", retired.name, retired.note);
        }
        let pattern = &*clip(pattern);
        let suggestions = if pattern.contains(':') {
            if catalog.service(prefix).is_none() {
                catalog.suggest_service(prefix)
            } else {
                catalog.suggest_action(pattern)
            }
        } else {
            catalog.suggest_service(pattern)
        };
        let unknown_service = pattern.contains(':')
            && !super::has_wildcard(prefix)
            && catalog.service(prefix).is_none();
        if unknown_service {
            let hint = match suggestions.as_slice() {
                [] => String::new(),
                _ => format!(
                    "; did you mean {}?",
                    either(&suggestions[..suggestions.len().min(3)])
                ),
            };
            return format!(
                "unknown service `{}`: no such service prefix in the AWS catalog of {}{hint}",
                clip(prefix),
                catalog.data_day()
            );
        }
        match suggestions.as_slice() {
            [] => format!("`{pattern}` matches no action"),
            _ => format!(
                "`{pattern}` matches no action; did you mean {}?",
                either(&suggestions[..suggestions.len().min(3)])
            ),
        }
    }
}

type Memo = Mutex<Option<FxHashMap<String, Vec<String>>>>;

/// Suggestions already computed in this process: the same unknown names recur across the
/// files of a repository, and each search scores hundreds of candidates.
static SERVICE_MEMO: Memo = Mutex::new(None);
static ACTION_MEMO: Memo = Mutex::new(None);

/// At most this many answers are remembered per kind, so hostile input cannot grow it.
const MEMO_LIMIT: usize = 4096;

fn memo(cache: &'static Memo, name: &str, compute: impl FnOnce() -> Vec<String>) -> Vec<String> {
    // Exact spelling: word boundaries come from case, so `ListBuckets` and `listbuckets`
    // may be read differently.
    let key = name.to_string();
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = lock().as_ref().and_then(|m| m.get(&key)) {
        return hit.clone();
    }
    // Computed without the lock held: another thread may do the same work, never wait on it.
    let answer = compute();
    let mut guard = lock();
    let map = guard.get_or_insert_with(FxHashMap::default);
    if map.len() < MEMO_LIMIT && name.len() <= 128 {
        map.insert(key, answer.clone());
    }
    answer
}

/// The forms of a service's names that suggestions compare with.
struct ServiceNames {
    prefix: &'static str,
    /// The prefix without punctuation: `acmpca` for `acm-pca`.
    loose: String,
    product: String,
    acronym: String,
}

/// Every service's names, normalised once per process: a run with many unknown services
/// would otherwise rebuild them for every suggestion.
fn service_names(catalog: &'static Catalog) -> &'static [ServiceNames] {
    static NAMES: std::sync::OnceLock<Vec<ServiceNames>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        catalog
            .services()
            .map(|svc| ServiceNames {
                prefix: svc.prefix(),
                loose: alnum(svc.prefix()),
                product: product_name(svc.name()),
                acronym: acronym(svc.name()),
            })
            .collect()
    })
}

fn best(mut scored: Vec<(usize, &'static str)>) -> Vec<String> {
    scored.sort();
    scored.dedup_by_key(|s| s.1);
    scored
        .into_iter()
        .take(MAX)
        .map(|(_, p)| p.to_string())
        .collect()
}

/// Bytes a name may have beyond the longest known one of its kind and still be compared:
/// more than any edit distance suggested (3), so the bound changes no answer, and it keeps a
/// 1 MB unknown name from costing a second of edit distances per candidate.
const LENGTH_MARGIN: usize = 8;

/// The longest form of a service name suggestions compare with.
fn longest_service_name(catalog: &'static Catalog) -> usize {
    static LONGEST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LONGEST.get_or_init(|| {
        service_names(catalog)
            .iter()
            .flat_map(|names| {
                [
                    names.prefix.len(),
                    names.loose.len(),
                    names.product.len(),
                    names.acronym.len(),
                ]
            })
            .max()
            .unwrap_or(0)
    })
}

/// The longest action name, without its service prefix.
fn longest_action_name(catalog: &'static Catalog) -> usize {
    static LONGEST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LONGEST.get_or_init(|| {
        (0..catalog.blob.n_actions())
            .map(|id| catalog.blob.action_name(id).len())
            .max()
            .unwrap_or(0)
    })
}

/// The longest condition key, global or of a service.
fn longest_condition_key(catalog: &'static Catalog) -> usize {
    static LONGEST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LONGEST.get_or_init(|| {
        let services = 0..catalog.blob.n_services();
        services
            .flat_map(|svc| catalog.blob.svc_keys(svc))
            .map(|key| catalog.blob.key_name(key).len())
            .chain(curated().global_keys.iter().map(|g| g.name.len()))
            .max()
            .unwrap_or(0)
    })
}

/// Edit distance still worth suggesting for a word of `len` characters.
fn tolerance(len: usize) -> usize {
    match len {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    }
}

fn alnum(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Significant words of a service name: `AWS Step Functions` -> `Step`, `Functions`.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !matches!(*w, "AWS" | "Amazon" | "Service" | "for" | "and" | "the")
        })
}

/// `AWS Step Functions` -> `stepfunctions`.
fn product_name(name: &str) -> String {
    alnum(&name_words(name).collect::<String>())
}

/// `Elastic Load Balancing V2` -> `elbv2`.
fn acronym(name: &str) -> String {
    name_words(name)
        .map(|w| {
            let is_version = w.len() > 1 && w[1..].chars().all(|c| c.is_ascii_digit());
            if is_version {
                w.to_ascii_lowercase()
            } else {
                w[..1].to_ascii_lowercase()
            }
        })
        .collect()
}

/// Lower-case words of a camel-case name, singular: `ListAllMyBuckets` -> list, all, my, bucket.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
                    && chars[i - 1].is_ascii_uppercase()));
        if (boundary || !c.is_ascii_alphanumeric()) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|w| singular(&w)).collect()
}

fn singular(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() > 1) {
        format!("{stem}y")
    } else if let Some(stem) = w.strip_suffix("sses") {
        format!("{stem}ss")
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// An unknown action name, prepared once for scoring many candidates.
struct Query {
    lower: String,
    words: Vec<String>,
}

impl Query {
    fn new(name: &str) -> Query {
        Query {
            lower: name.to_ascii_lowercase(),
            words: words(name),
        }
    }

    /// Lower is better; `None` when `cand` is not a plausible reading of the query.
    fn score(&self, cand: &str) -> Option<usize> {
        if self.lower.eq_ignore_ascii_case(cand) {
            return Some(0);
        }
        let verb = self.words.first().map(String::as_str).unwrap_or("");
        let cand_verb = words(first_word(cand)).pop().unwrap_or_default();
        let read_verbs = READ_VERBS.contains(&verb) && READ_VERBS.contains(&cand_verb.as_str());
        // Word-level habits only apply between names with the same verb or two read verbs;
        // checking that first keeps the per-candidate cost low.
        if verb == cand_verb || read_verbs {
            let cw = words(cand);
            if cw == self.words {
                return Some(1); // plural or singular of the same words
            }
            if verb == cand_verb && self.words.len() < cw.len() && is_subsequence(&self.words, &cw)
            {
                return Some(2 + cw.len() - self.words.len()); // ListBuckets -> ListAllMyBuckets
            }
            if read_verbs && self.words.len() > 1 && self.words[1..] == cw[1..] {
                return Some(3); // another read verb: GetInstances -> DescribeInstances
            }
        }
        let tol = tolerance(self.lower.len());
        if self.lower.len().abs_diff(cand.len()) > tol {
            return None;
        }
        distance_at_most(&self.lower, &cand.to_ascii_lowercase(), tol).map(|d| 4 + 2 * d)
    }
}

/// The leading capitalised word of a name: `DescribeInstances` -> `Describe`.
fn first_word(name: &str) -> &str {
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase() || !c.is_ascii_alphanumeric())
        .map_or(name.len(), |(i, _)| i);
    &name[..end]
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|w| it.any(|x| x == w))
}

/// A suggestion of `cand` for the user's `key` (`query` is it lower-cased), with its score.
fn key_suggestion(query: &str, key: &str, cand: &'static str) -> Option<(usize, String)> {
    let c = cand.to_ascii_lowercase();
    if let Some(open) = c.find("/${").or_else(|| c.find("/<")) {
        // Templated: compare the fixed part, keep the user's tag key.
        let (fixed, user_fixed, user_tail) = match query.find('/') {
            Some(slash) => (&c[..open], &query[..slash], &key[slash..]),
            None => (&c[..open], query, ""),
        };
        return distance_at_most(user_fixed, fixed, tolerance(fixed.len())).map(|d| {
            let tail = if user_tail.len() > 1 {
                user_tail.to_string()
            } else {
                cand[open..].to_string()
            };
            (2 * d, format!("{}{tail}", &cand[..open]))
        });
    }
    if let Some(d) = distance_at_most(query, &c, tolerance(c.len())) {
        return Some((2 * d, cand.to_string()));
    }
    // The prefix left out or wrong: `SourceIp` or `s3:SourceIp` for `aws:SourceIp`.
    let bare = |s: &str| {
        s.split_once(':')
            .map_or(s.to_string(), |(_, b)| b.to_string())
    };
    distance_at_most(&bare(query), &bare(&c), tolerance(c.len()) / 2)
        .map(|d| (3 + 2 * d, cand.to_string()))
}
