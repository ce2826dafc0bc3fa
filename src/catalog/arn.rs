//! Whether a policy's resource pattern can name a resource an action acts on.
//
// Both sides are small regular languages: the policy pattern (literal characters, `*`, `?`,
// policy variables, and holes whose value is only known at deploy time) and an ARN format of
// the catalog (literal characters and `${Placeholders}`). The question "is there an ARN both
// accept" is answered by a search over pairs of positions, never by enumerating strings.
//
// False alarms are worse than misses here, so placeholders are generous: every one may be
// empty and may hold any character, except the few whose values AWS constrains and that make
// the common mistakes visible: partition, region and account are non-empty single ARN fields,
// and S3 bucket and access point names are non-empty and cannot contain `/`. That is enough to
// tell `bucket` from `bucket/*`, and keeps `role/path/to/role` (`${RoleNameWithPath}`) a match.

use super::curated::arn_lists;
use super::{ActionId, ActionSet, Catalog, ResourceType};
use rustc_hash::FxHashMap;
use std::cell::{OnceCell, RefCell};
use std::fmt::Write;
use std::rc::Rc;
use std::sync::OnceLock;

/// One piece of a resource pattern as written in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnPiece<'a> {
    /// Text, where `*` and `?` are IAM wildcards and `${aws:username}`-style policy variables
    /// stand for request-time values (`${*}`, `${?}`, `${$}` are the escaped characters).
    Literal(&'a str),
    /// A value unknown until deploy time (a Terraform variable, `!Ref`, ...): anything.
    Hole,
    /// A value unknown until deploy time that is one ARN field or one name without a path
    /// (the region, a bucket or queue name of a resource's ARN): it holds no `/` or `:`.
    Field,
}

/// The answer of a resource check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Match {
    /// Some resource of the action matches the pattern.
    Yes,
    /// No resource of the action can match, whatever the holes hold.
    No,
    /// It depends on the holes, or the catalog cannot say (unknown action, incomplete data).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pat {
    Char(char),
    One,
    Star,
    Hole,
    /// A hole that holds no `/` or `:`.
    Field,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fmt {
    Char(char),
    /// Any run of characters (possibly none); `true` when they cannot include `/` or `:`.
    Var(bool),
    /// Exactly one character; `true` when it cannot be `/` or `:`.
    One(bool),
}

/// One ARN format of the catalog, tokenised, with the position masks that let a literal
/// pass take each character in a few word operations: kept per resource type for the run,
/// where every written ARN is tried against it.
#[derive(Debug)]
pub(crate) struct FormatTokens {
    tokens: Vec<Fmt>,
    /// `None` when the format is too long for one `u128` of positions.
    masks: Option<Box<PositionMasks>>,
    /// The format's `arn:PARTITION:SERVICE:REGION:ACCOUNT:` when the one pass can skip it.
    header: Option<Header>,
    /// Whether the format answers alike for every region written out and every account
    /// written in digits: see [`general_key`].
    any_region_or_account: bool,
    /// The format's [`type_word`], found once rather than at every resource it is fitted to.
    type_word: Option<Box<str>>,
}

/// The five colon-ended fields that open a format, when each is a placeholder of one field
/// or plain characters. A literal text whose fields fit them leaves the one pass at one
/// position, the one after the header, whatever the field values are: no field placeholder
/// takes `:`, and no character of a field is `:`. So the pass starts there instead of
/// reading every ARN's partition, region and account (each ARN of a run has its own account).
#[derive(Debug)]
struct Header {
    fields: Vec<HeaderField>,
    /// How many format tokens the header is.
    len: usize,
}

#[derive(Debug)]
enum HeaderField {
    /// These characters, ASCII case aside (as the pass compares them).
    Chars(String),
    /// Any characters but `/` (and `:`); at least one when `non_empty`.
    Placeholder { non_empty: bool },
}

impl Header {
    fn of(tokens: &[Fmt]) -> Option<Header> {
        let mut fields = Vec::with_capacity(5);
        let mut start = 0;
        for (j, token) in tokens.iter().enumerate() {
            if *token != Fmt::Char(':') {
                continue;
            }
            let field = match &tokens[start..j] {
                [Fmt::Var(true)] => HeaderField::Placeholder { non_empty: false },
                [Fmt::One(true), Fmt::Var(true)] => HeaderField::Placeholder { non_empty: true },
                chars => HeaderField::Chars(
                    chars
                        .iter()
                        .map(|f| match f {
                            Fmt::Char(c) => Some(*c),
                            _ => None,
                        })
                        .collect::<Option<String>>()?,
                ),
            };
            fields.push(field);
            start = j + 1;
            if fields.len() == 5 {
                return Some(Header { fields, len: j + 1 });
            }
        }
        None
    }

    /// Whether the region field takes every region written out or none, and the account
    /// field every account of digits or none: a placeholder, or text that is empty (region)
    /// or holds no digit (account, such as `aws` in the ARNs of AWS managed policies).
    fn any_region_or_account(&self) -> bool {
        let region = match &self.fields[3] {
            HeaderField::Placeholder { .. } => true,
            HeaderField::Chars(chars) => chars.is_empty(),
        };
        let account = match &self.fields[4] {
            HeaderField::Placeholder { .. } => true,
            HeaderField::Chars(chars) => !chars.bytes().any(|b| b.is_ascii_digit()),
        };
        region && account
    }

    /// For a literal `text` whose first five fields fit the header's: the text after them.
    fn skip<'p>(&self, text: &'p [Pat]) -> Option<&'p [Pat]> {
        let mut rest = text;
        for field in &self.fields {
            let colon = rest.iter().position(|p| *p == Pat::Char(':'))?;
            let value = &rest[..colon];
            let fits = match field {
                HeaderField::Placeholder { non_empty } => {
                    !(*non_empty && value.is_empty())
                        && value.iter().all(|p| matches!(p, Pat::Char(c) if *c != '/'))
                }
                HeaderField::Chars(chars) => {
                    let mut expected = chars.chars();
                    value.iter().all(|p| {
                        matches!(p, Pat::Char(d) if expected.next().is_some_and(|c| d.eq_ignore_ascii_case(&c)))
                    }) && expected.next().is_none()
                }
            };
            if !fits {
                return None;
            }
            rest = &rest[colon + 1..];
        }
        Some(rest)
    }

    /// Whether the five fields of a text written out fit the header's, as
    /// [`Header::skip`] judges them.
    fn fits(&self, written: &WrittenHeader<'_>) -> bool {
        self.fields
            .iter()
            .zip(&written.fields)
            .enumerate()
            .all(|(index, (field, value))| match field {
                HeaderField::Placeholder { non_empty } => {
                    written.slashed & 1 << index == 0 && !(*non_empty && value.is_empty())
                }
                // Byte by byte, as characters: only ASCII letters have another case.
                HeaderField::Chars(chars) => value.eq_ignore_ascii_case(chars),
            })
    }
}

/// The first five fields of an ARN written out, and the text after them, as each of a
/// service's formats is tried against them.
struct WrittenHeader<'t> {
    fields: [&'t str; 5],
    /// Bit `i` is set when field `i` holds a `/`: found once, not again for every format.
    slashed: u8,
    rest: &'t str,
}

impl<'t> WrittenHeader<'t> {
    /// `colons`: the offsets of `text`'s first five colons.
    fn new(text: &'t str, colons: [usize; 5]) -> WrittenHeader<'t> {
        let fields = [0, 1, 2, 3, 4].map(|index| {
            let start = if index == 0 { 0 } else { colons[index - 1] + 1 };
            &text[start..colons[index]]
        });
        let slashed = fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.contains('/'))
            .fold(0, |mask, (index, _)| mask | 1 << index);
        WrittenHeader {
            fields,
            slashed,
            rest: &text[colons[4] + 1..],
        }
    }
}

/// The format positions, one bit each, that take a character of each kind.
#[derive(Debug)]
struct PositionMasks {
    /// By character folded to upper case, from `' '` to `'_'`: the positions of that
    /// character. Others (`'`'`, `'{'`, non-ASCII) are looked up in the tokens.
    characters: [u128; 64],
    /// Variables, which may stand for nothing.
    variables: u128,
    /// Variables that may also hold `/` and `:`.
    any_variables: u128,
    /// Single characters that may also be `/` or `:`.
    any_ones: u128,
    /// Single characters of one field (no `/` or `:`).
    field_ones: u128,
    /// Some variable follows another, so skipping empty variables can take several steps.
    adjacent_variables: bool,
}

impl FormatTokens {
    fn new(format: &str) -> FormatTokens {
        let tokens = format_tokens(format);
        let masks = (tokens.len() < LITERAL_FORMAT_LIMIT).then(|| {
            let mut masks = Box::new(PositionMasks {
                characters: [0; 64],
                variables: 0,
                any_variables: 0,
                any_ones: 0,
                field_ones: 0,
                adjacent_variables: false,
            });
            for (j, token) in tokens.iter().enumerate() {
                let bit = 1u128 << j;
                match *token {
                    Fmt::Char(c) => {
                        if let Some(index) = folded_index(c) {
                            masks.characters[index] |= bit;
                        }
                    }
                    Fmt::Var(field) => {
                        masks.variables |= bit;
                        if !field {
                            masks.any_variables |= bit;
                        }
                    }
                    Fmt::One(true) => masks.field_ones |= bit,
                    Fmt::One(false) => masks.any_ones |= bit,
                }
            }
            masks.adjacent_variables = masks.variables & masks.variables << 1 != 0;
            masks
        });
        let header = masks.as_ref().and_then(|_| Header::of(&tokens));
        let any_region_or_account = header.as_ref().is_some_and(Header::any_region_or_account);
        FormatTokens {
            tokens,
            masks,
            header,
            any_region_or_account,
            type_word: type_word(format).map(Box::from),
        }
    }

    /// Whether some string is accepted by both the pattern and this format: in one pass of
    /// word operations for a literal ARN and for one with a single trailing `*` (most ARNs
    /// as written), else by [`search_pairs`].
    fn intersects(&self, pat: &[Pat]) -> bool {
        let Some(masks) = &self.masks else {
            return search_pairs(pat, &self.tokens);
        };
        let literal = pat.iter().take_while(|p| matches!(p, Pat::Char(_))).count();
        let reached = |text: &[Pat]| match self
            .header
            .as_ref()
            .and_then(|h| Some((h.len, h.skip(text)?)))
        {
            Some((skipped, rest)) => {
                masks.positions_after(&self.tokens, 1 << skipped, characters(rest))
            }
            None => masks.positions_after(&self.tokens, 1, characters(text)),
        };
        match pat[literal..] {
            [] => reached(pat).is_some_and(|at| at >> self.tokens.len() & 1 == 1),
            [Pat::Star] => reached(&pat[..literal]).is_some(),
            _ => search_pairs(pat, &self.tokens),
        }
    }

    /// [`FormatTokens::intersects`] for a pattern of plain characters, `literal`, followed by
    /// a `*` when `trailing_star`, read from the text itself; `None` when the format has no
    /// position masks (the search over pairs needs the pattern's tokens). `header`: the
    /// literal's first five fields and the text after them, when it has five.
    ///
    /// A format's header holds no variable that takes `:`, so a text whose fields do not fit
    /// it cannot reach past it: the answer is `false` without reading the rest.
    fn intersects_plain(
        &self,
        literal: &str,
        header: Option<&WrittenHeader<'_>>,
        trailing_star: bool,
    ) -> Option<bool> {
        let masks = self.masks.as_ref()?;
        let reached = match (&self.header, header) {
            (Some(format), Some(written)) => {
                if !format.fits(written) {
                    return Some(false);
                }
                masks.positions_after(&self.tokens, 1 << format.len, written.rest.chars())
            }
            _ => masks.positions_after(&self.tokens, 1, literal.chars()),
        };
        Some(if trailing_star {
            reached.is_some()
        } else {
            reached.is_some_and(|at| at >> self.tokens.len() & 1 == 1)
        })
    }
}

impl std::ops::Deref for FormatTokens {
    type Target = [Fmt];

    fn deref(&self) -> &[Fmt] {
        &self.tokens
    }
}

/// Where character `c` is kept in [`PositionMasks::characters`].
fn folded_index(c: char) -> Option<usize> {
    let folded = c.to_ascii_uppercase();
    (' '..='_')
        .contains(&folded)
        .then(|| folded as usize - ' ' as usize)
}

impl PositionMasks {
    /// The format positions reachable after reading `text` from the positions of `start`,
    /// one bit each, or `None` when none is; each character is taken in a few word
    /// operations. From any position it reaches, the format can go on to its end (a variable
    /// may be empty, one character always fits a field), which is why a trailing `*` only
    /// asks for one.
    fn positions_after(
        &self,
        fmt: &[Fmt],
        start: u128,
        text: impl Iterator<Item = char>,
    ) -> Option<u128> {
        let close = |mut set: u128| loop {
            let more = set | (set & self.variables) << 1;
            // Without adjacent variables, one step reaches every position past empty ones.
            if more == set || !self.adjacent_variables {
                return more;
            }
            set = more;
        };
        let mut at = close(start);
        for c in text {
            let same = match folded_index(c) {
                Some(index) => self.characters[index],
                None => fmt
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| matches!(f, Fmt::Char(d) if c.eq_ignore_ascii_case(d)))
                    .fold(0, |set, (j, _)| set | 1 << j),
            };
            let (variables, ones) = if c == '/' || c == ':' {
                (self.any_variables, self.any_ones)
            } else {
                (self.variables, self.any_ones | self.field_ones)
            };
            let reached = (at & (same | ones)) << 1 | at & variables;
            if reached == 0 {
                return None;
            }
            at = close(reached);
        }
        Some(at)
    }
}

/// Placeholders whose values are one ARN field or one S3 name, so cannot hold `/` or `:`.
const SEGMENT_VARS: [&str; 5] = [
    "Partition",
    "Region",
    "Account",
    "BucketName",
    "AccessPointName",
];

/// `${name}` at the start of `s`: the name and what follows.
fn placeholder(s: &str) -> Option<(&str, &str)> {
    let after = s.strip_prefix("${")?;
    let close = after.find('}')?;
    Some((&after[..close], &after[close + 1..]))
}

fn pattern_tokens(pieces: &[ArnPiece<'_>]) -> Vec<Pat> {
    // At most one token per piece or character: one allocation for every ARN of a run.
    let capacity = pieces
        .iter()
        .map(|piece| match piece {
            ArnPiece::Literal(text) => text.len(),
            ArnPiece::Hole | ArnPiece::Field => 1,
        })
        .sum();
    let mut out = Vec::with_capacity(capacity);
    for piece in pieces {
        let text = match piece {
            ArnPiece::Hole => {
                out.push(Pat::Hole);
                continue;
            }
            ArnPiece::Field => {
                out.push(Pat::Field);
                continue;
            }
            ArnPiece::Literal(text) => *text,
        };
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c == '$'
                && let Some((name, after)) = placeholder(rest)
            {
                out.push(match name {
                    "*" => Pat::Char('*'),
                    "?" => Pat::Char('?'),
                    "$" => Pat::Char('$'),
                    _ => Pat::Star,
                });
                rest = after;
                continue;
            }
            out.push(match c {
                '*' => Pat::Star,
                '?' => Pat::One,
                c => Pat::Char(c),
            });
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn format_tokens(format: &str) -> Vec<Fmt> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some((name, after)) = placeholder(rest) {
            if SEGMENT_VARS.contains(&name) {
                // A field such as the region is never empty where the format has one.
                out.extend([Fmt::One(true), Fmt::Var(true)]);
            } else {
                out.push(Fmt::Var(false));
            }
            rest = after;
            continue;
        }
        // A `*` inside a format (`.../api/*`) is AWS's own wildcard: anything.
        out.push(if c == '*' {
            Fmt::Var(false)
        } else {
            Fmt::Char(c)
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The byte offsets of the first `N` colons of `text`, and how many of them it has: an
/// ARN's fields, found by one walk over the bytes (this runs for every resource of every
/// statement, where `splitn` cost more than the rest of the check).
pub(crate) fn first_colons<const N: usize>(text: &str) -> ([usize; N], usize) {
    let mut colons = [0; N];
    let mut found = 0;
    for at in memchr::memchr_iter(b':', text.as_bytes()).take(N) {
        colons[found] = at;
        found += 1;
    }
    (colons, found)
}

/// The service field of a pattern when it is written out (`arn:aws:s3:::x` gives `s3`), to
/// skip formats of other services before the full intersection.
fn literal_service(pat: &[Pat]) -> Option<String> {
    let mut fields = 0;
    let mut service = String::new();
    for p in pat {
        match p {
            Pat::Char(':') if fields == 2 => return Some(service),
            Pat::Char(':') => fields += 1,
            Pat::Char(c) if fields == 2 => service.push(c.to_ascii_lowercase()),
            Pat::Char(_) => {}
            // A wildcard or hole before the end of the service field could be anything.
            _ => return None,
        }
    }
    None
}

/// Whether a format's service field can be `service` (formats write it out, except for
/// the odd placeholder, which can be anything).
fn same_service(service: &str, format: &[Fmt]) -> bool {
    let mut fields = 0;
    let mut chars = service.chars();
    for f in format {
        match f {
            Fmt::Char(':') if fields == 2 => return chars.next().is_none(),
            Fmt::Char(':') => fields += 1,
            Fmt::Char(c) if fields == 2 && chars.next() != Some(c.to_ascii_lowercase()) => {
                return false;
            }
            Fmt::Char(_) => {}
            _ if fields == 2 => return true,
            _ => {}
        }
    }
    true
}

/// The service a format's ARNs name, in lower case, when its service field is written out:
/// the formats [`same_service`] takes for that service and no other.
fn format_service(format: &[Fmt]) -> Option<String> {
    let mut fields = format.split(|f| *f == Fmt::Char(':'));
    let service = fields.nth(2)?;
    fields.next()?;
    service
        .iter()
        .map(|f| match f {
            Fmt::Char(c) => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Whether some string is accepted by both the pattern and the format, by a search over
/// pairs of positions.
fn search_pairs(pat: &[Pat], fmt: &[Fmt]) -> bool {
    let (n, m) = (pat.len(), fmt.len());
    let width = m + 1;
    // One bit per (pattern, format) position: this runs for every resource of every
    // statement against each candidate format, so the table is kept small to clear.
    let mut seen = vec![0u64; ((n + 1) * width).div_ceil(64)];
    let is_seen = |seen: &[u64], cell: usize| seen[cell / 64] & (1 << (cell % 64)) != 0;
    let mut stack = Vec::with_capacity(n + m + 1);
    stack.push((0usize, 0usize));
    let fits = |c: char, segment: bool| !(segment && (c == '/' || c == ':'));
    while let Some((i, j)) = stack.pop() {
        let cell = i * width + j;
        if is_seen(&seen, cell) {
            continue;
        }
        seen[cell / 64] |= 1 << (cell % 64);
        if i == n && j == m {
            return true;
        }
        let p = pat.get(i).copied();
        let f = fmt.get(j).copied();
        let mut push = |a: usize, b: usize| {
            if !is_seen(&seen, a * width + b) {
                stack.push((a, b));
            }
        };
        if matches!(p, Some(Pat::Star | Pat::Hole | Pat::Field)) {
            push(i + 1, j);
        }
        if matches!(f, Some(Fmt::Var(_))) {
            push(i, j + 1);
        }
        match (p, f) {
            (Some(Pat::Char(c)), Some(Fmt::Char(d))) if c.eq_ignore_ascii_case(&d) => {
                push(i + 1, j + 1)
            }
            (Some(Pat::Char(c)), Some(Fmt::Var(seg))) if fits(c, seg) => push(i + 1, j),
            (Some(Pat::Char(c)), Some(Fmt::One(seg))) if fits(c, seg) => push(i + 1, j + 1),
            (Some(Pat::One), Some(Fmt::Char(_) | Fmt::One(_))) => push(i + 1, j + 1),
            (Some(Pat::One), Some(Fmt::Var(_))) => push(i + 1, j),
            (Some(Pat::Star | Pat::Hole), Some(Fmt::Char(_) | Fmt::One(_))) => push(i, j + 1),
            (Some(Pat::Field), Some(Fmt::Char(d))) if fits(d, true) => push(i, j + 1),
            (Some(Pat::Field), Some(Fmt::One(_))) => push(i, j + 1),
            _ => {}
        }
    }
    false
}

/// The longest format with [`PositionMasks`], plus one: its positions fit in a `u128`.
/// (The catalog's longest format has 154 positions; the rest fewer than 118.)
const LITERAL_FORMAT_LIMIT: usize = 128;

/// The characters of a pattern without wildcards or holes.
fn characters(text: &[Pat]) -> impl Iterator<Item = char> + '_ {
    text.iter().filter_map(|p| match *p {
        Pat::Char(c) => Some(c),
        _ => None,
    })
}

/// Whether the answer depends on a value only known at deploy time.
fn has_hole(pat: &[Pat]) -> bool {
    pat.iter().any(|p| matches!(p, Pat::Hole | Pat::Field))
}

/// The first piece of the pattern with its ARN service name swapped for its alias
/// (`codeconnections` for `codestar-connections` and back), when it has one.
fn aliased_service(pieces: &[ArnPiece<'_>]) -> Option<String> {
    let Some(ArnPiece::Literal(first)) = pieces.first() else {
        return None;
    };
    let mut fields = first.splitn(4, ':');
    let (arn, partition, service, tail) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let alias = arn_lists().arn_service_aliases.iter().find_map(|&(a, b)| {
        if a == service {
            Some(b)
        } else if b == service {
            Some(a)
        } else {
            None
        }
    })?;
    Some(format!("{arn}:{partition}:{alias}:{tail}"))
}

/// The pieces of a resource pattern as one string, each piece tagged so that no two
/// patterns share a key: [`FitsMemo`]'s key.
fn memo_key(pieces: &[ArnPiece<'_>]) -> String {
    let mut key = String::new();
    for piece in pieces {
        match piece {
            ArnPiece::Literal(text) => {
                // Writing to a `String` cannot fail.
                let _ = write!(key, "L{}:{text}", text.len());
            }
            ArnPiece::Hole => key.push('H'),
            ArnPiece::Field => key.push('F'),
        }
    }
    key
}

/// The memo key of a pattern whose region and account are written out, with the region
/// (letters, digits and `-`) standing for any region and the account (digits) for any
/// account: ARNs of a run differ mostly there (each account of an organisation), and a
/// format of [`FormatTokens::any_region_or_account`] answers alike for all of them. Both
/// the one pass and the search compare the five header fields one by one, as the colons
/// that end them match only each other. `None` when the first five fields are not all
/// plain characters, or neither field can stand for others.
fn general_key(pat: &[Pat]) -> Option<String> {
    let mut colons = [0usize; 5];
    let mut found = 0;
    for (at, p) in pat.iter().enumerate() {
        match p {
            Pat::Char(':') => {
                colons[found] = at;
                found += 1;
                if found == 5 {
                    break;
                }
            }
            Pat::Char(_) => {}
            _ => return None,
        }
    }
    if found < 5 {
        return None;
    }
    let region = &pat[colons[2] + 1..colons[3]];
    let account = &pat[colons[3] + 1..colons[4]];
    let is = |field: &[Pat], accepted: fn(char) -> bool| {
        !field.is_empty()
            && field
                .iter()
                .all(|p| matches!(p, Pat::Char(c) if accepted(*c)))
    };
    let any_region = is(region, |c| c.is_ascii_alphanumeric() || c == '-');
    let any_account = is(account, |c| c.is_ascii_digit());
    if !any_region && !any_account {
        return None;
    }
    let write = |key: &mut String, pats: &[Pat]| {
        for p in pats {
            match p {
                Pat::Char(c @ ('\\' | '*' | '?' | '#' | '!')) => {
                    key.push('\\');
                    key.push(*c);
                }
                Pat::Char(c) => key.push(*c),
                Pat::Star => key.push('*'),
                Pat::One => key.push('?'),
                Pat::Hole => key.push('#'),
                Pat::Field => key.push('!'),
            }
        }
    };
    // No key of `memo_key` starts with `G`; one character stands for a field that stands
    // for others.
    let mut key = String::with_capacity(pat.len() + 2);
    key.push('G');
    write(&mut key, &pat[..=colons[2]]);
    if any_region {
        key.push('r');
    } else {
        write(&mut key, region);
    }
    key.push(':');
    if any_account {
        key.push('0');
    } else {
        write(&mut key, account);
    }
    write(&mut key, &pat[colons[4]..]);
    Some(key)
}

/// Whether a resource pattern fits a resource type, by [`memo_key`] and type index, kept by
/// this thread for the run. Bounded, so hostile input cannot grow it without
/// limit: past the bound, answers are computed and not kept.
#[derive(Default)]
struct FitsMemo {
    by_key: FxHashMap<String, Vec<(u32, bool)>>,
    answers: usize,
}

const FITS_MEMO_KEYS: usize = 50_000;
const FITS_MEMO_ANSWERS: usize = 1_000_000;

impl FitsMemo {
    /// The answers kept for `key`, taken out of the memo while a pattern is matched; `None`
    /// when the memo is full. Give them back with [`FitsMemo::put_back`].
    fn take(&mut self, key: &str) -> Option<Vec<(u32, bool)>> {
        self.answers(key).map(std::mem::take)
    }

    fn put_back(&mut self, key: &str, answers: Vec<(u32, bool)>) {
        if let Some(slot) = self.by_key.get_mut(key) {
            *slot = answers;
        }
    }

    /// The answers kept for `key`, to read and add to; `None` when the memo is full.
    fn answers(&mut self, key: &str) -> Option<&mut Vec<(u32, bool)>> {
        if self.answers >= FITS_MEMO_ANSWERS {
            return None;
        }
        if !self.by_key.contains_key(key) {
            if self.by_key.len() >= FITS_MEMO_KEYS || key.len() > 512 {
                return None;
            }
            self.by_key.insert(key.to_string(), Vec::new());
        }
        let answers = self.by_key.get_mut(key)?;
        // Counted as kept before they are: a call adds at most one per resource type.
        self.answers += 1;
        Some(answers)
    }
}

thread_local! {
    static FITS: RefCell<FitsMemo> = RefCell::new(FitsMemo::default());
    /// [`Catalog::resource_matcher`]'s answers by action set: statements of a run repeat
    /// the same actions, and reading their resource types from the catalog is the cost.
    static MATCHERS: RefCell<FxHashMap<ActionSet, Rc<ResourceMatcher>>> = RefCell::new(FxHashMap::default());
}

/// How many action sets [`MATCHERS`] keeps.
const MATCHER_MEMO_LIMIT: usize = 10_000;

/// The resource formats of a set of actions, ready to test resource patterns against; see
/// [`Catalog::resource_matcher`].
#[derive(Debug, Clone)]
pub struct ResourceMatcher {
    catalog: &'static Catalog,
    valid: bool,
    any_scoped: bool,
    /// Some action takes no resource types (only `"*"`).
    unscoped: bool,
    /// Resource types of the actions.
    formats: Vec<usize>,
    /// Every resource type of the actions' services whose prefix several pages share.
    shared_formats: Vec<usize>,
    /// See [`ResourceMatcher::plain_formats`].
    plain_formats: OnceCell<PlainFormats>,
}

/// A matcher's formats by the service their ARNs name, each marked `true` when it is one of
/// `shared_formats`: see [`ResourceMatcher::match_plain`].
#[derive(Debug, Clone, Default)]
struct PlainFormats {
    by_service: FxHashMap<String, Vec<(&'static FormatTokens, bool)>>,
    /// Formats whose service field is a placeholder, or that have none.
    any_service: Vec<(&'static FormatTokens, bool)>,
}

impl ResourceMatcher {
    /// See [`Catalog::match_resource_any`].
    pub fn matches(&self, pieces: &[ArnPiece<'_>]) -> Match {
        if !self.valid {
            return Match::Unknown;
        }
        if let [ArnPiece::Literal(text)] = pieces
            && let Some(answer) = self.match_plain(text)
        {
            return answer;
        }
        self.matches_generally(pieces)
    }

    /// [`ResourceMatcher::matches`] by the patterns' tokens, for every pattern.
    fn matches_generally(&self, pieces: &[ArnPiece<'_>]) -> Match {
        let pat = pattern_tokens(pieces);
        // The same ARN is written in many statements of a run, each with its own actions:
        // whether it fits a resource type is kept per pattern and type.
        let key = memo_key(pieces);
        let open = if has_hole(&pat) {
            Match::Unknown
        } else {
            Match::Yes
        };
        if self.unscoped && search_pairs(&pat, &[Fmt::Char('*')]) {
            // Actions without resource types answer like `match_resource` does for them.
            return open;
        }
        let mut answer = self.match_scoped(&pat, Some(&key), open);
        if answer == Match::No
            && let Some(first) = aliased_service(pieces)
        {
            let mut renamed = pieces.to_vec();
            renamed[0] = ArnPiece::Literal(&first);
            answer = self.match_scoped(&pattern_tokens(&renamed), None, open);
        }
        match answer {
            Match::No if self.unscoped => Match::Unknown,
            answer => answer,
        }
    }

    /// [`ResourceMatcher::matches`] for an ARN written out, with at most a `*` at its end
    /// (most resources of a policy), read from the text without the memo: its five fields
    /// are split once and compared with each format's, which costs less than building and
    /// looking up the memo's keys. `None` leaves the pattern to the general way, which also
    /// answers every `No` (it tries the service's alias).
    fn match_plain(&self, text: &str) -> Option<Match> {
        let (literal, trailing_star) = match text.strip_suffix('*') {
            Some(literal) => (literal, true),
            None => (text, false),
        };
        if !literal.starts_with("arn:") || literal.bytes().any(|b| matches!(b, b'*' | b'?' | b'$'))
        {
            return None;
        }
        if !self.any_scoped {
            return Some(Match::Unknown);
        }
        let (colons, found) = first_colons::<5>(literal);
        let field = |index: usize| {
            let start = if index == 0 { 0 } else { colons[index - 1] + 1 };
            &literal[start..colons[index]]
        };
        let header = (found == 5).then(|| WrittenHeader::new(literal, colons));
        // The service field, when the text has one: formats of other services are skipped.
        let service = (found >= 3).then(|| field(2));
        if service.is_some_and(|s| s.bytes().any(|b| b.is_ascii_uppercase())) {
            return None;
        }
        let formats = self.plain_formats();
        let (mut of_service, mut of_any);
        let candidates: &mut dyn Iterator<Item = &(&FormatTokens, bool)> = match service {
            Some(service) => {
                of_service = formats
                    .by_service
                    .get(service)
                    .into_iter()
                    .flatten()
                    .chain(&formats.any_service);
                &mut of_service
            }
            None => {
                of_any = formats
                    .by_service
                    .values()
                    .flatten()
                    .chain(&formats.any_service);
                &mut of_any
            }
        };
        let mut shared_fits = false;
        for &(format, shared) in candidates {
            if format.intersects_plain(literal, header.as_ref(), trailing_star)? {
                if !shared {
                    return Some(Match::Yes);
                }
                shared_fits = true;
            }
        }
        shared_fits.then_some(Match::Unknown)
    }

    /// The formats of the actions' resource types and of `shared_formats` (marked `true`) by
    /// the service their ARNs name, read from the catalog when a matcher first needs them.
    fn plain_formats(&self) -> &PlainFormats {
        self.plain_formats.get_or_init(|| {
            let mut formats = PlainFormats::default();
            for (types, shared) in [(&self.formats, false), (&self.shared_formats, true)] {
                for format in types
                    .iter()
                    .flat_map(|&rt| self.catalog.rtype_format_tokens(rt))
                {
                    match format_service(format) {
                        Some(service) => formats
                            .by_service
                            .entry(service)
                            .or_default()
                            .push((format, shared)),
                        None => formats.any_service.push((format, shared)),
                    }
                }
            }
            formats
        })
    }

    /// `key`: the pattern's [`memo_key`], to remember the answers by.
    fn match_scoped(&self, pat: &[Pat], key: Option<&str>, open: Match) -> Match {
        if !self.any_scoped {
            return Match::Unknown;
        }
        let service = literal_service(pat);
        let compute = |rt: usize| {
            self.catalog
                .rtype_format_tokens(rt)
                .iter()
                .filter(|f| service.as_deref().is_none_or(|s| same_service(s, f)))
                .any(|f| f.intersects(pat))
        };
        let general = key.and_then(|_| general_key(pat));
        FITS.with(|memo| {
            let mut memo = memo.borrow_mut();
            let mut general_answers = general.as_deref().and_then(|k| memo.take(k));
            // Taken when a type first needs them.
            let mut exact_answers: Option<Option<Vec<(u32, bool)>>> = None;
            let mut unkept = Vec::new();
            let answer = {
                // Kept sorted by type: a statement of many actions has hundreds of types,
                // and a linear search of the answers for each of them was quadratic.
                let mut fits = |&rt: &usize| {
                    let known = match &mut general_answers {
                        Some(general) if Self::any_region_or_account(self.catalog, rt) => general,
                        _ => exact_answers
                            .get_or_insert_with(|| key.and_then(|k| memo.take(k)))
                            .as_mut()
                            .unwrap_or(&mut unkept),
                    };
                    let rt = rt as u32;
                    match known.binary_search_by_key(&rt, |&(r, _)| r) {
                        Ok(at) => known[at].1,
                        Err(at) => {
                            let answer = compute(rt as usize);
                            known.insert(at, (rt, answer));
                            answer
                        }
                    }
                };
                if self.formats.iter().any(&mut fits) {
                    open
                } else if self.shared_formats.iter().any(&mut fits) {
                    Match::Unknown
                } else {
                    Match::No
                }
            };
            if let (Some(key), Some(answers)) = (general.as_deref(), general_answers) {
                memo.put_back(key, answers);
            }
            if let (Some(key), Some(Some(answers))) = (key, exact_answers) {
                memo.put_back(key, answers);
            }
            answer
        })
    }

    /// Whether all formats of resource type `rt` are [`FormatTokens::any_region_or_account`].
    fn any_region_or_account(catalog: &'static Catalog, rt: usize) -> bool {
        catalog
            .rtype_format_tokens(rt)
            .iter()
            .all(|f| f.any_region_or_account)
    }
}

impl Catalog {
    /// Whether the resource pattern `pieces` can match at least one resource `action` acts on.
    ///
    /// `Resource: "*"` always matches. For an action without resource types (which the
    /// reference says takes only `"*"`) any other pattern is `Unknown`: check
    /// [`Catalog::accepts_only_wildcard_resource`] to report those separately. `Match::No` is
    /// only given when no value of any hole could match; when a hole matters the answer is
    /// `Unknown`.
    pub fn match_resource(&'static self, action: ActionId, pieces: &[ArnPiece<'_>]) -> Match {
        match self.match_resource_once(action, pieces) {
            Match::No => match aliased_service(pieces) {
                Some(first) => {
                    let mut renamed = pieces.to_vec();
                    renamed[0] = ArnPiece::Literal(&first);
                    self.match_resource_once(action, &renamed)
                }
                None => Match::No,
            },
            answer => answer,
        }
    }

    fn match_resource_once(&'static self, action: ActionId, pieces: &[ArnPiece<'_>]) -> Match {
        if action.index() >= self.action_count() {
            return Match::Unknown;
        }
        let pat = pattern_tokens(pieces);
        let has_hole = has_hole(&pat);
        let info = self.action_info(action);
        if info.resource_types.is_empty() {
            // The reference says only `"*"` works, but AWS's own managed policies scope
            // thousands of such actions to ARNs, and the reference lags behind services that
            // add resource-level permissions; see `accepts_only_wildcard_resource`.
            let star = search_pairs(&pat, &[Fmt::Char('*')]);
            return if star && !has_hole {
                Match::Yes
            } else {
                Match::Unknown
            };
        }
        let found = info.resource_types.iter().any(|rt| {
            self.rtype_format_tokens(rt.resource_type.index)
                .iter()
                .any(|f| f.intersects(&pat))
        });
        if found {
            return if has_hole { Match::Unknown } else { Match::Yes };
        }
        // Where several reference pages share a prefix, an action's resource-type list may
        // lack the other page's types; an ARN that fits any type of the prefix stays open.
        let prefix = info.prefix();
        if self.is_shared_prefix(prefix)
            && info.service.resource_types().any(|rt| {
                self.rtype_format_tokens(rt.index)
                    .iter()
                    .any(|f| f.intersects(&pat))
            })
        {
            return Match::Unknown;
        }
        Match::No
    }

    /// Whether the resource pattern can match a resource of at least one of `actions`: `Yes`
    /// when one action answers `Yes` in [`Catalog::match_resource`], `No` when every one
    /// answers `No`, else `Unknown`. To test many resources against one statement, build a
    /// [`ResourceMatcher`] once with [`Catalog::resource_matcher`].
    pub fn match_resource_any(
        &'static self,
        actions: &crate::catalog::ActionSet,
        pieces: &[ArnPiece<'_>],
    ) -> Match {
        self.resource_matcher(actions).matches(pieces)
    }

    /// [`Catalog::resource_matcher`], shared with the other statements of this thread's run
    /// that have the same actions.
    pub fn shared_resource_matcher(&'static self, actions: &ActionSet) -> Rc<ResourceMatcher> {
        MATCHERS.with(|memo| {
            if let Some(matcher) = memo.borrow().get(actions) {
                return Rc::clone(matcher);
            }
            let matcher = Rc::new(self.resource_matcher(actions));
            let mut memo = memo.borrow_mut();
            if memo.len() < MATCHER_MEMO_LIMIT {
                memo.insert(actions.clone(), Rc::clone(&matcher));
            }
            matcher
        })
    }

    /// The resource types of `actions`, read and tokenised once: each distinct resource type
    /// is tried once per resource, so a statement of `s3:*` costs what its few resource types
    /// cost, not what its actions do.
    pub fn resource_matcher(&'static self, actions: &crate::catalog::ActionSet) -> ResourceMatcher {
        let valid =
            !actions.is_empty() && !actions.intersects_range(self.action_count()..usize::MAX);
        let scoped = if valid {
            self.resource_scoped(actions)
        } else {
            crate::catalog::ActionSet::new()
        };
        let mut rtypes = Vec::new();
        for id in scoped.iter() {
            self.action_rtype_indices(id, &mut rtypes);
        }
        rtypes.sort_unstable();
        rtypes.dedup();
        let formats = rtypes;
        // Where several reference pages share a prefix, an action's resource-type list may
        // lack the other page's types; an ARN that fits any type of the prefix stays open.
        let shared_formats = self
            .services_of(&scoped)
            .filter(|&svc| {
                let prefix = self.blob.service_prefix(svc);
                self.is_shared_prefix(prefix)
            })
            .flat_map(|svc| self.blob.svc_rtypes(svc))
            .collect();
        ResourceMatcher {
            catalog: self,
            valid,
            any_scoped: !scoped.is_empty(),
            unscoped: scoped.len() < actions.len(),
            formats,
            shared_formats,
            plain_formats: OnceCell::new(),
        }
    }

    /// The tokenised ARN formats of resource type `rt`, computed on first use.
    fn rtype_format_tokens(&'static self, rt: usize) -> &'static [FormatTokens] {
        let n = self
            .blob
            .svc_rtypes(self.service_count().saturating_sub(1))
            .end;
        let cache = self
            .format_tokens
            .get_or_init(|| (0..n).map(|_| OnceLock::new()).collect());
        let Some(slot) = cache.get(rt) else {
            return &[];
        };
        slot.get_or_init(|| {
            ResourceType {
                catalog: self,
                index: rt,
            }
            .arn_formats()
            .iter()
            .map(|f| FormatTokens::new(f))
            .collect()
        })
    }

    /// The ARN service names (`s3`, `sns`, ...) in the formats of the resource types that any of
    /// `actions` takes, sorted: which services' ARNs the catalog can judge for them.
    pub fn resource_arn_services(
        &'static self,
        actions: &crate::catalog::ActionSet,
    ) -> Vec<&'static str> {
        let mut rtypes = Vec::new();
        for id in self.resource_scoped(actions).iter() {
            self.action_rtype_indices(id, &mut rtypes);
        }
        rtypes.sort_unstable();
        rtypes.dedup();
        let mut services: Vec<&'static str> = rtypes
            .into_iter()
            .flat_map(|index| {
                ResourceType {
                    catalog: self,
                    index,
                }
                .arn_formats()
            })
            .filter_map(|format| format.split(':').nth(2))
            .collect();
        services.sort_unstable();
        services.dedup();
        services
    }

    /// Whether the resource pattern `resource` (plain text) can name a resource of type `rt`.
    /// A type word written before the resource id (`instance/*`, `image/*`) only names that
    /// type, even though a `*` in an earlier field could stretch over it as text.
    pub fn fits_resource_type(&'static self, resource: &str, rt: &ResourceType) -> bool {
        // `*`, most resources of broad statements, names whatever has an ARN format.
        if resource == "*" {
            return !self.rtype_format_tokens(rt.index).is_empty();
        }
        let pat = pattern_tokens(&[ArnPiece::Literal(resource)]);
        let written = type_word(resource);
        // The formats' tokens and type words kept for the type, rather than found again on
        // every call.
        self.rtype_format_tokens(rt.index).iter().any(|tokens| {
            let words_agree = match (written, tokens.type_word.as_deref()) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => true,
            };
            words_agree && tokens.intersects(&pat)
        })
    }

    /// [`Catalog::match_resource`] for a resource written as plain text.
    pub fn match_resource_str(&'static self, action: ActionId, resource: &str) -> Match {
        self.match_resource(action, &[ArnPiece::Literal(resource)])
    }
}

/// The literal word that starts the resource part of an ARN and names its type (`instance`
/// in `arn:aws:ec2:*:*:instance/*`), when there is one.
fn type_word(arn: &str) -> Option<&str> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let word = &resource[..resource.find(['/', ':'])?];
    let literal = !word.is_empty() && !word.contains(['*', '?', '$', '{']);
    literal.then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, format: &str) -> bool {
        FormatTokens::new(format).intersects(&pattern_tokens(&[ArnPiece::Literal(pattern)]))
    }

    /// Answers kept under a pattern's [`general_key`] are those the pattern gets on its own:
    /// each pattern is matched after all the others in one thread, and alone in a thread of
    /// its own (whose memo is empty).
    #[test]
    fn answers_kept_for_any_region_or_account_are_each_patterns_own() {
        let catalog = Catalog::get();
        let arns = [
            "arn:aws:iam::111122223333:role/app",
            "arn:aws:iam::444455556666:role/app",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::111122223333:policy/ReadOnlyAccess",
            "arn:aws:iam:us-east-1:111122223333:role/app",
            "arn:aws:iam::111122223333:user/u",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:us-east-1:111122223333:bucket/key",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap",
            "arn:aws:s3:eu-west-1::accesspoint/ap",
            "arn:aws:kms:us-east-1:111122223333:key/k",
            "arn:aws:kms:eu-west-1:444455556666:key/k",
            "arn:aws:kms::444455556666:key/k",
            "arn:aws:kms:eu-west-1::key/k",
            "arn:aws:kms:eu-west-1:alias:key/k",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            "arn:aws:ec2:us-east-1::image/ami-1",
            "arn:aws:ec2:eu-west-1:444455556666:image/ami-1",
            "arn:aws:dynamodb:us-east-1:111122223333:table/t/*",
            "arn:aws:dynamodb:eu-west-1:444455556666:table/t/*",
            "arn:aws:sns:us-east-1:111122223333:topic",
            "arn:aws:sns:us-east-1:111122223333:topic/x",
        ];
        let sets: Vec<ActionSet> = [
            &["iam:PassRole"][..],
            &["iam:GetPolicy", "iam:GetRole"],
            &["s3:GetObject", "s3:ListBucket"],
            &["s3:GetAccessPoint"],
            &["kms:Decrypt"],
            &["ec2:RunInstances"],
            &["dynamodb:Query"],
            &["sns:Publish", "kms:Decrypt"],
        ]
        .iter()
        .map(|names| names.iter().map(|n| catalog.action(n).unwrap()).collect())
        .collect();
        let match_in_order = |order: Vec<(usize, usize)>| {
            let sets = &sets;
            std::thread::scope(|scope| {
                scope
                    .spawn(move || {
                        order
                            .into_iter()
                            .map(|(set, arn)| {
                                let pieces = [ArnPiece::Literal(arns[arn])];
                                (
                                    (set, arn),
                                    catalog
                                        .resource_matcher(&sets[set])
                                        .matches_generally(&pieces),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                    .join()
                    .unwrap()
            })
        };
        let every: Vec<(usize, usize)> = (0..sets.len())
            .flat_map(|set| (0..arns.len()).map(move |arn| (set, arn)))
            .collect();
        let mut answers = match_in_order(every.clone());
        answers.extend(match_in_order(every.iter().rev().copied().collect()));
        for ((set, arn), kept) in answers {
            let alone = match_in_order(vec![(set, arn)])[0].1;
            assert_eq!(kept, alone, "{} for set {set}", arns[arn]);
        }
    }

    /// ARNs written out are matched from their text, without the memo; every answer is the
    /// one the patterns' tokens give.
    #[test]
    fn plain_answers_are_the_general_ones() {
        let catalog = Catalog::get();
        let arns = [
            "arn:aws:iam::111122223333:role/app",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::111122223333:*",
            "arn:aws:iam::*",
            "arn:aws:iam:*",
            "arn:aws:iam",
            "arn:aws:IAM::111122223333:role/app",
            "ARN:aws:iam::111122223333:role/app",
            "arn:AWS:Iam::111122223333:Role/App",
            "arn:aws:iam::111122223333:user/u",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::1111/22223333:role/app",
            "arn:aws:iam:::role/app",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket*",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::*",
            "arn:aws:s3:us-east-1:111122223333:accesspoint/ap",
            "arn:aws:s3:::bu/cket",
            "arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/ap",
            "arn:aws:kms:us-east-1:111122223333:key/k",
            "arn:aws:kms:us-east-1:111122223333:alias/a",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            "arn:aws:ec2:us-east-1::image/ami-1",
            "arn:aws:ec2:us-east-1:111122223333:instance/*",
            "arn:aws:lambda:us-east-1:111122223333:function:f",
            "arn:aws:lambda:us-east-1:111122223333:function:f:*",
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/x:*",
            "arn:aws:codestar-connections:us-east-1:111122223333:connection/c",
            "arn:aws:codeconnections:us-east-1:111122223333:connection/c",
            "arn:aws:es:us-east-1:111122223333:domain/d",
            "arn:aws:aoss:us-east-1:111122223333:collection/c",
            "arn:aws:sns:us-east-1:111122223333:topic",
            "arn:aws:sqs:us-east-1:111122223333:queue-0",
            "arn:aws:dynamodb:us-east-1:111122223333:table/t/index/*",
            "arn:aws:ssm:us-east-1::document/AWS-RunShellScript",
            "arn:aws:execute-api:us-east-1:111122223333:api/*",
            "arn:aws:s3:::bucket/${aws:username}",
            "arn:aws:s3:::bucket/k?y",
            "arn:aws:s3:::b\u{e9}/k",
            "*",
        ];
        let sets: Vec<ActionSet> = [
            &["iam:PassRole"][..],
            &["iam:GetPolicy", "iam:GetRole", "iam:GetUser"],
            &["s3:GetObject", "s3:ListBucket"],
            &["s3:GetAccessPoint", "s3:ListAllMyBuckets"],
            &["s3:ListAllMyBuckets"],
            &["kms:Decrypt", "sns:Publish"],
            &["ec2:RunInstances"],
            &["ec2:DescribeInstances"],
            &["lambda:InvokeFunction", "lambda:UpdateFunctionCode"],
            &["logs:PutLogEvents"],
            &["codestar-connections:UseConnection"],
            &["codeconnections:UseConnection"],
            &["es:ESHttpGet"],
            &["aoss:APIAccessAll"],
            &["sqs:SendMessage", "dynamodb:Query"],
            &["ssm:SendCommand"],
            &["execute-api:Invoke"],
        ]
        .iter()
        .map(|names| names.iter().filter_map(|n| catalog.action(n)).collect())
        .collect();
        let mut plain = 0;
        for set in &sets {
            let matcher = catalog.resource_matcher(set);
            for arn in arns {
                plain += usize::from(matcher.match_plain(arn).is_some());
                let pieces = [ArnPiece::Literal(arn)];
                assert_eq!(
                    matcher.matches(&pieces),
                    matcher.matches_generally(&pieces),
                    "{arn} for {set:?}"
                );
            }
        }
        // Those that fit are answered from the text (a `No` never is: 154 answers in all).
        assert!(plain >= 100, "{plain}");
    }

    #[test]
    fn a_general_key_stands_for_regions_and_accounts_only() {
        let key = |arn: &str| general_key(&pattern_tokens(&[ArnPiece::Literal(arn)]));
        assert_eq!(
            key("arn:aws:kms:us-east-1:111122223333:key/k"),
            key("arn:aws:kms:eu-west-1:444455556666:key/k")
        );
        assert_ne!(
            key("arn:aws:kms:us-east-1:111122223333:key/k"),
            key("arn:aws:kms:us-east-1:111122223333:key/j")
        );
        assert_ne!(
            key("arn:aws:kms::111122223333:key/k"),
            key("arn:aws:kms:us-east-1:111122223333:key/k")
        );
        assert_eq!(key("arn:aws:iam::aws:policy/P"), None);
        assert_eq!(key("arn:aws:kms:*:111122223333:key/k"), None);
        assert_eq!(key("arn:aws:s3:::bucket"), None);
        assert!(key("arn:aws:iam::111122223333:role/*").is_some());
    }

    #[test]
    fn intersection_basics() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(m("arn:aws:s3:::b/k", object));
        assert!(m("arn:aws:s3:::b/*", object));
        assert!(m("arn:aws:s3:::b*", object));
        assert!(!m("arn:aws:s3:::b", object));
        assert!(m("arn:aws:s3:::b", bucket));
        assert!(!m("arn:aws:s3:::b/*", bucket));
        assert!(!m("arn:aws:s3:::*/*", bucket));
        assert!(m("*", bucket));
        assert!(m("arn:aws:s3:::b?", bucket));
        assert!(m("arn:aws:s3:::home/${aws:username}/*", object));
        assert!(!m("arn:aws:s3:::b${*}/x", bucket));
        assert!(!m("arn:aws:ec2:::b", bucket));
        assert!(m("ARN:AWS:S3:::b", bucket));
    }

    /// Literal ARNs, and each prefix of the second list with a `*` after it: the shapes the
    /// one pass answers, against the formats they come close to.
    #[test]
    fn one_pass_patterns_answer_as_the_search_does() {
        let formats = [
            "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
            "arn:${Partition}:s3:::${BucketName}",
            "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}",
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}",
            "arn:${Partition}:execute-api:${Region}:${Account}:${ApiId}/${Stage}/*",
            "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
        ];
        let literals = [
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/k/l",
            "arn:aws:s3:::/k",
            "arn:aws:s3:::b/",
            "ARN:AWS:S3:::b",
            "arn:aws:iam::123456789012:role/path/to/role",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::1:2:role/x",
            "arn:aws:iam:::role/x",
            "arn:aws:lambda:eu-west-1:123456789012:function:f",
            "arn:aws:lambda:eu-west-1:123456789012:function:f:alias",
            "arn:aws:execute-api:eu-west-1:1:api/prod/GET/x",
            "arn:aws:sqs:eu-west-1:1:q",
            "arn:aws:sqs:eu-west-1::q",
            "arn:aws/x:sqs:eu-west-1:1:q",
            "arn:aws:sqs:eu/west-1:1:q",
            "arn:aws:SQS:eu-west-1:1:q",
            "arn:aws:sns:eu-west-1:1:q",
            "arn:aws:s3:eu-west-1::b",
            "arn:aws:s3::1:b",
            "arn:aws:s3::::b",
            "arn:aws:sqs:eu-west-1:1:",
            "arn::sqs:::q",
            "arn:aws:sqs",
            "",
            "arn",
        ];
        let prefixes = [
            "",
            "arn:aws:s3:::",
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/",
            "arn:aws:s3:::b/k/",
            "ARN:AWS:S3:::b",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:user/",
            "arn:aws:iam::1:2:",
            "arn:aws:logs:us-east-1:1:log-group:/app/52:",
            "arn:aws:logs:us-east-1:1:log-group:/app:52:log-stream:",
            "arn:aws:execute-api:eu-west-1:1:api/prod/",
            "arn:aws:sqs:eu-west-1:1:q:",
            "arn:aws:sqs:eu-west-1:",
            "arn:aws:sqs:eu-west-1:1:",
            "arn:aws/x:sqs:eu-west-1:1:",
            "arn:aws:s3:x::",
            "arx",
        ];
        let texts = literals
            .iter()
            .map(|text| text.to_string())
            .chain(prefixes.iter().map(|prefix| format!("{prefix}*")));
        for text in texts {
            let pat = pattern_tokens(&[ArnPiece::Literal(&text)]);
            assert!(pat.iter().rev().skip(1).all(|p| matches!(p, Pat::Char(_))));
            for format in formats {
                assert_eq!(
                    FormatTokens::new(format).intersects(&pat),
                    search_pairs(&pat, &format_tokens(format)),
                    "{text} against {format}"
                );
            }
        }
    }

    #[test]
    fn the_one_pass_skips_headers_of_variables_and_characters() {
        let skipped = |format: &str, text: &str| {
            let tokens = FormatTokens::new(format);
            let pat = pattern_tokens(&[ArnPiece::Literal(text)]);
            let header = tokens.header.as_ref()?;
            header
                .skip(&pat)
                .map(|rest| characters(rest).collect::<String>())
        };
        let sqs = "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}";
        assert_eq!(
            skipped(sqs, "ARN:aws:Sqs:eu-west-1:1:q:x").as_deref(),
            Some("q:x")
        );
        let others = [
            "arn:aws:sns:r:1:q",
            "arn:a/b:sqs:r:1:q",
            "arn:aws:sqs:r:1",
            "arn:aws:sqs:r::q",
        ];
        for other in others {
            assert_eq!(skipped(sqs, other), None, "{other}");
        }
        let s3 = "arn:${Partition}:s3:::${BucketName}";
        assert_eq!(skipped(s3, "arn:aws:s3:::b").as_deref(), Some("b"));
        assert_eq!(skipped(s3, "arn:aws:s3:r::b"), None);
        assert!(
            FormatTokens::new("arn:${Partition}:s3:x${Region}::${BucketName}")
                .header
                .is_none()
        );
    }

    proptest::proptest! {
        /// Every shape of pattern, fast path or not, answers as the search does.
        #[test]
        fn patterns_answer_as_the_search_does(
            text in "(arn:aws:(s3|iam|logs|sqs)::?(1:)?|arn:(aws)?:(sqs|SQS|s3):(r/?)?:(1)?:|ARN:AWS:S3:::|[a-zA-Z0-9:/*?`{é-]){0,12}",
            format in 0..5usize,
        ) {
            let format = [
                "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
                "arn:${Partition}:s3:::${BucketName}",
                "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}",
                "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
                "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
            ][format];
            let fmt = format_tokens(format);
            let pat = pattern_tokens(&[ArnPiece::Literal(&text)]);
            proptest::prop_assert_eq!(
                FormatTokens::new(format).intersects(&pat),
                search_pairs(&pat, &fmt)
            );
        }
    }

    #[test]
    fn placeholders_with_paths() {
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(m("arn:aws:iam::123456789012:role/path/to/role", role));
        assert!(m("arn:aws:iam::*:role/*", role));
        assert!(!m("arn:aws:iam::123456789012:user/x", role));
        assert!(!m("arn:aws:iam::1:2:role/x", role));
    }
}
