//! Dense action ids and bitsets of actions, so set algebra over statements is cheap.

use std::fmt;
use std::ops::Range;

/// An action of the catalog. Ids are dense (`0..Catalog::action_count()`), grouped by service
/// and ordered by name inside a service, so a service's actions form one contiguous range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionId(pub(crate) u16);

/// An action name as a data table writes it, with its catalog id (`None`: the catalog does
/// not know it); resolved once, by `build.rs` or on first use, so a run looks names up once.
pub type NamedAction = (&'static str, Option<ActionId>);

/// Number of representable action ids.
const ID_SPACE: usize = u16::MAX as usize + 1;

impl ActionId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A set of actions as a bitset over action ids.
///
/// Only the span of 64-bit words between the lowest and highest member is stored, so the
/// typical set (a handful of services) is a few hundred bytes and cloning it is a memcpy;
/// the set of every action is about 2.8 KB.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ActionSet {
    /// Index of the first stored word. Invariant: `words` is empty or both its first and last
    /// words are non-zero, so equal sets have equal representations.
    start: usize,
    words: Vec<u64>,
}

impl ActionSet {
    pub const fn new() -> ActionSet {
        ActionSet {
            start: 0,
            words: Vec::new(),
        }
    }

    /// The 64-bit words the set stores: what keeping it costs.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// The index of each word that holds a member: two sets intersect only if they share
    /// one, which makes these a key to find the sets that may intersect another by.
    pub fn occupied_words(&self) -> impl Iterator<Item = usize> + '_ {
        (self.start..)
            .zip(&self.words)
            .filter(|(_, word)| **word != 0)
            .map(|(index, _)| index)
    }

    /// All ids in `range` (clamped to the id space).
    pub fn from_range(range: Range<usize>) -> ActionSet {
        let mut set = ActionSet::new();
        set.insert_range(range);
        set
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn contains(&self, id: ActionId) -> bool {
        let (w, bit) = (id.index() / 64, id.index() % 64);
        w >= self.start
            && self
                .words
                .get(w - self.start)
                .is_some_and(|word| word & (1 << bit) != 0)
    }

    pub fn insert(&mut self, id: ActionId) {
        let i = id.index();
        self.insert_range(i..i + 1);
    }

    pub fn remove(&mut self, id: ActionId) {
        let (w, bit) = (id.index() / 64, id.index() % 64);
        if let Some(word) = w
            .checked_sub(self.start)
            .and_then(|i| self.words.get_mut(i))
        {
            *word &= !(1 << bit);
            self.trim();
        }
    }

    /// Inserts every id in `range` (clamped to the id space).
    pub fn insert_range(&mut self, range: Range<usize>) {
        let range = range.start..range.end.min(ID_SPACE);
        if range.is_empty() {
            return;
        }
        let (first, last) = (range.start / 64, (range.end - 1) / 64);
        self.grow(first, last);
        for w in first..=last {
            let lo = if w == first { range.start % 64 } else { 0 };
            let hi = if w == last { (range.end - 1) % 64 } else { 63 };
            let mask = (u64::MAX >> (63 - hi)) & (u64::MAX << lo);
            self.words[w - self.start] |= mask;
        }
    }

    /// Whether any id of `range` is in the set.
    pub fn intersects_range(&self, range: Range<usize>) -> bool {
        self.iter_range(range).next().is_some()
    }

    /// Members within `range`, in increasing order.
    pub fn iter_range(&self, range: Range<usize>) -> impl Iterator<Item = ActionId> + '_ {
        let lo = range.start.max(self.start * 64);
        let hi = range.end.min((self.start + self.words.len()) * 64);
        Bits {
            set: self,
            next: lo,
            end: hi,
        }
    }

    /// Members in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = ActionId> + '_ {
        self.iter_range(0..usize::MAX)
    }

    pub fn union(&self, other: &ActionSet) -> ActionSet {
        let mut out = self.clone();
        out.union_with(other);
        out
    }

    pub fn union_with(&mut self, other: &ActionSet) {
        if other.is_empty() {
            return;
        }
        self.grow(other.start, other.start + other.words.len() - 1);
        for (i, w) in other.words.iter().enumerate() {
            self.words[other.start + i - self.start] |= w;
        }
    }

    pub fn intersection(&self, other: &ActionSet) -> ActionSet {
        let start = self.start.max(other.start);
        let end = (self.start + self.words.len()).min(other.start + other.words.len());
        let words = (start..end.max(start))
            .map(|w| self.words[w - self.start] & other.words[w - other.start])
            .collect();
        let mut out = ActionSet { start, words };
        out.trim();
        out
    }

    pub fn difference(&self, other: &ActionSet) -> ActionSet {
        let mut out = self.clone();
        for (i, word) in out.words.iter_mut().enumerate() {
            let w = out.start + i;
            if let Some(o) = w.checked_sub(other.start).and_then(|i| other.words.get(i)) {
                *word &= !o;
            }
        }
        out.trim();
        out
    }

    pub fn is_subset(&self, other: &ActionSet) -> bool {
        // Word by word, without building the difference: rules ask this for many pairs.
        self.words.iter().enumerate().all(|(i, &word)| {
            let theirs = (self.start + i)
                .checked_sub(other.start)
                .and_then(|j| other.words.get(j))
                .copied()
                .unwrap_or(0);
            word & !theirs == 0
        })
    }

    pub fn intersects(&self, other: &ActionSet) -> bool {
        self.words.iter().enumerate().any(|(i, &word)| {
            (self.start + i)
                .checked_sub(other.start)
                .and_then(|j| other.words.get(j))
                .is_some_and(|theirs| word & theirs != 0)
        })
    }

    /// Makes room for words `first..=last`.
    fn grow(&mut self, first: usize, last: usize) {
        if self.words.is_empty() {
            self.start = first;
            self.words = vec![0; last - first + 1];
            return;
        }
        if first < self.start {
            let extra = self.start - first;
            self.words.splice(0..0, std::iter::repeat_n(0, extra));
            self.start = first;
        }
        let end = self.start + self.words.len();
        if last >= end {
            self.words.resize(last - self.start + 1, 0);
        }
    }

    fn trim(&mut self) {
        let Some(first) = self.words.iter().position(|w| *w != 0) else {
            self.words.clear();
            self.start = 0;
            return;
        };
        let last = self.words.iter().rposition(|w| *w != 0).unwrap_or(first);
        self.words.truncate(last + 1);
        self.words.drain(..first);
        self.start += first;
    }
}

impl fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(|id| id.0)).finish()
    }
}

impl FromIterator<ActionId> for ActionSet {
    fn from_iter<I: IntoIterator<Item = ActionId>>(iter: I) -> ActionSet {
        // Ids may come in any order (the name index is not id order); size the words once
        // instead of shifting them on every insert below the current start.
        let ids: Vec<usize> = iter.into_iter().map(ActionId::index).collect();
        let (Some(&lo), Some(&hi)) = (ids.iter().min(), ids.iter().max()) else {
            return ActionSet::new();
        };
        let mut set = ActionSet {
            start: lo / 64,
            words: vec![0; hi / 64 - lo / 64 + 1],
        };
        for i in ids {
            set.words[i / 64 - set.start] |= 1 << (i % 64);
        }
        set
    }
}

impl Extend<ActionId> for ActionSet {
    fn extend<I: IntoIterator<Item = ActionId>>(&mut self, iter: I) {
        for id in iter {
            self.insert(id);
        }
    }
}

struct Bits<'a> {
    set: &'a ActionSet,
    next: usize,
    end: usize,
}

impl Iterator for Bits<'_> {
    type Item = ActionId;

    fn next(&mut self) -> Option<ActionId> {
        while self.next < self.end {
            let w = self.next / 64;
            let word = self.set.words.get(w.checked_sub(self.set.start)?)? >> (self.next % 64);
            if word == 0 {
                self.next = (w + 1) * 64;
                continue;
            }
            let i = self.next + word.trailing_zeros() as usize;
            self.next = i + 1;
            return (i < self.end).then(|| ActionId(u16::try_from(i).unwrap_or(u16::MAX)));
        }
        None
    }
}
