//! IAM wildcard matching (`*` and `?`) and expansion of action patterns into action sets.

use super::{ActionId, ActionSet, Catalog};

/// Whether `text` matches the IAM wildcard `pattern`: `*` matches any run of characters
/// (including none), `?` exactly one; nothing else is special (IAM has no `[...]` or `{...}`).
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // Action names are ASCII: compare bytes, no allocation (expansion calls this a lot).
        return glob(pattern.as_bytes(), text.as_bytes(), |p, t| {
            p == t || (ignore_case && p.eq_ignore_ascii_case(&t))
        });
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob(&p, &t, |p, t| {
        p == t || (ignore_case && p.eq_ignore_ascii_case(&t))
    })
}

trait GlobChar: Copy + PartialEq {
    const STAR: Self;
    const ONE: Self;
}

impl GlobChar for u8 {
    const STAR: u8 = b'*';
    const ONE: u8 = b'?';
}

impl GlobChar for char {
    const STAR: char = '*';
    const ONE: char = '?';
}

fn glob<C: GlobChar>(p: &[C], t: &[C], eq: impl Fn(C, C) -> bool) -> bool {
    // Greedy with one backtrack point: on mismatch, let the last `*` absorb one more char.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(&c) if c == C::STAR => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == C::ONE || eq(c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == C::STAR)
}

pub(crate) fn has_wildcard(s: &str) -> bool {
    // Byte by byte: `contains` with a set of characters decodes each one, and this is asked
    // of every field of every ARN and every action pattern.
    s.bytes().any(|b| matches!(b, b'*' | b'?'))
}

impl Catalog {
    /// Every action the IAM action pattern `pattern` matches, ignoring case: `*`, `s3:*`,
    /// `s3:Get*`, `*:Describe*`, `iam:*Policy*`, `s3:GetObject`. A pattern without a `:`
    /// (other than `*`) matches nothing, as IAM would reject it.
    pub fn expand(&self, pattern: &str) -> ActionSet {
        if !pattern.is_empty() && pattern.chars().all(|c| c == '*') {
            return self.all_actions();
        }
        let Some((svc_pat, act_pat)) = pattern.split_once(':') else {
            return ActionSet::new();
        };
        let mut set = ActionSet::new();
        let blob = &self.blob;
        if !has_wildcard(pattern) {
            // Most patterns name one action: a hash lookup of the whole name.
            if let Some(id) = blob.find_action(pattern.as_bytes()) {
                set.insert(ActionId(id as u16));
            }
            return set;
        }
        if !has_wildcard(svc_pat) {
            if let Some(svc) = self.service_index(svc_pat) {
                self.expand_in(svc, act_pat, &mut set);
            }
            return set;
        }
        let all_services = svc_pat.chars().all(|c| c == '*');
        let literal = literal_prefix(act_pat);
        if all_services && !literal.is_empty() {
            // `*:Describe*`: the global name index turns this into two binary searches.
            let range = blob.prefix_range_ci(0..blob.n_actions(), literal.as_bytes(), |i| {
                blob.action_name_bytes(blob.name_index(i))
            });
            let exact_tail = is_prefix_pattern(act_pat, literal);
            return range
                .map(|i| blob.name_index(i))
                .filter(|&id| exact_tail || wildcard_match(act_pat, blob.action_name(id), true))
                .map(|id| ActionId(id as u16))
                .collect();
        }
        for svc in 0..blob.n_services() {
            if all_services || wildcard_match(svc_pat, blob.service_prefix(svc), true) {
                self.expand_in(svc, act_pat, &mut set);
            }
        }
        set
    }

    fn expand_in(&self, svc: usize, act_pat: &str, set: &mut ActionSet) {
        let blob = &self.blob;
        let range = blob.svc_actions(svc);
        if !act_pat.is_empty() && act_pat.chars().all(|c| c == '*') {
            set.insert_range(range);
            return;
        }
        if !has_wildcard(act_pat) {
            if let Some(id) = blob.find_ci(range, act_pat, |i| blob.action_name_bytes(i)) {
                set.insert(ActionId(id as u16));
            }
            return;
        }
        let literal = literal_prefix(act_pat);
        if literal.is_empty() {
            // `*Policy*`: a cheap substring test on the longest literal part skips most names
            // before the full match.
            let needle = longest_literal(act_pat).to_ascii_lowercase();
            for id in range {
                let name = blob.action_name(id);
                if contains_ci(name, &needle) && wildcard_match(act_pat, name, true) {
                    set.insert(ActionId(id as u16));
                }
            }
            return;
        }
        let range = blob.prefix_range_ci(range, literal.as_bytes(), |i| blob.action_name_bytes(i));
        if is_prefix_pattern(act_pat, literal) {
            set.insert_range(range);
            return;
        }
        for id in range {
            if wildcard_match(act_pat, blob.action_name(id), true) {
                set.insert(ActionId(id as u16));
            }
        }
    }
}

/// Whether `pattern` is `literal` followed only by `*`s, so every name with that prefix matches.
fn is_prefix_pattern(pattern: &str, literal: &str) -> bool {
    pattern.len() > literal.len() && pattern[literal.len()..].chars().all(|c| c == '*')
}

/// The longest run of the pattern without wildcards.
fn longest_literal(pattern: &str) -> &str {
    pattern
        .split(['*', '?'])
        .max_by_key(|s| s.len())
        .unwrap_or("")
}

/// Whether `hay` contains the lower-case `needle`, ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    needle.is_empty()
        || hay
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The part of a pattern before its first wildcard.
fn literal_prefix(pattern: &str) -> &str {
    &pattern[..pattern.find(['*', '?']).unwrap_or(pattern.len())]
}
