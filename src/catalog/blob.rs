//! Bounds-checked, allocation-free reading of the embedded catalog blob.
//
// The blob is produced by build.rs, so it is trusted to be well formed; every read is still
// checked and falls back to an empty value, so a corrupt blob degrades to "unknown action"
// answers instead of a panic.

use std::cmp::Ordering;
use std::ops::Range;

use super::format as f;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Blob {
    bytes: &'static [u8],
    header: [usize; f::HEADER_FIELDS],
}

impl Blob {
    pub(crate) fn new(bytes: &'static [u8]) -> Blob {
        let mut header = [0usize; f::HEADER_FIELDS];
        for (i, h) in header.iter_mut().enumerate() {
            *h = read_u32(bytes, i * 4);
        }
        if header[f::H_MAGIC] != f::MAGIC as usize {
            header = [0; f::HEADER_FIELDS];
        }
        let blob = Blob { bytes, header };
        // The totals row of the service table must agree with the header; if it does not,
        // the blob is not one this reader understands, and an empty catalog is the safe answer.
        let totals = blob.svc_row(blob.n_services());
        if totals != [header[f::H_ACTIONS], header[f::H_RTYPES], header[f::H_KEYS]] {
            return Blob {
                bytes,
                header: [0; f::HEADER_FIELDS],
            };
        }
        blob
    }

    pub(crate) fn n_services(&self) -> usize {
        self.header[f::H_SERVICES]
    }

    pub(crate) fn n_actions(&self) -> usize {
        self.header[f::H_ACTIONS]
    }

    /// Row `i` of the service table: first action, resource type and key of service `i`.
    fn svc_row(&self, i: usize) -> [usize; 3] {
        let base = self.header[f::H_SVC_TABLE] + i * 6;
        [
            read_u16(self.bytes, base),
            read_u16(self.bytes, base + 2),
            read_u16(self.bytes, base + 4),
        ]
    }

    pub(crate) fn svc_actions(&self, svc: usize) -> Range<usize> {
        self.svc_row(svc)[0]..self.svc_row(svc + 1)[0]
    }

    pub(crate) fn svc_rtypes(&self, svc: usize) -> Range<usize> {
        self.svc_row(svc)[1]..self.svc_row(svc + 1)[1]
    }

    pub(crate) fn svc_keys(&self, svc: usize) -> Range<usize> {
        self.svc_row(svc)[2]..self.svc_row(svc + 1)[2]
    }

    /// The service owning action `id`.
    pub(crate) fn service_of_action(&self, id: usize) -> usize {
        self.service_containing(0, id)
    }

    /// The service owning resource type `rt`.
    pub(crate) fn service_of_rtype(&self, rt: usize) -> usize {
        self.service_containing(1, rt)
    }

    /// The last service whose range in service-table column `col` starts at or before `i`;
    /// services with empty ranges start where the next one does, so the owner is the last.
    fn service_containing(&self, col: usize, i: usize) -> usize {
        let (mut lo, mut hi) = (0, self.n_services());
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if self.svc_row(mid)[col] <= i {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn record(&self, table: usize, i: usize) -> Reader {
        let count = match table {
            f::H_SVC_OFFS => self.header[f::H_SERVICES],
            f::H_ACT_OFFS => self.header[f::H_ACTIONS],
            f::H_RT_OFFS => self.header[f::H_RTYPES],
            _ => self.header[f::H_KEYS],
        };
        if i >= count {
            return Reader::new(&[]);
        }
        let start = read_u32(self.bytes, self.header[table] + i * 4);
        let end = read_u32(self.bytes, self.header[table] + (i + 1) * 4);
        let base = self.header[f::H_RECORDS];
        Reader::new(self.bytes.get(base + start..base + end).unwrap_or_default())
    }

    pub(crate) fn service(&self, svc: usize) -> Reader {
        self.record(f::H_SVC_OFFS, svc)
    }

    pub(crate) fn action(&self, id: usize) -> Reader {
        self.record(f::H_ACT_OFFS, id)
    }

    pub(crate) fn rtype(&self, rt: usize) -> Reader {
        self.record(f::H_RT_OFFS, rt)
    }

    pub(crate) fn key(&self, k: usize) -> Reader {
        self.record(f::H_KEY_OFFS, k)
    }

    /// The `i`-th action id in lower-case name order.
    pub(crate) fn name_index(&self, i: usize) -> usize {
        read_u16(self.bytes, self.header[f::H_NAME_INDEX] + i * 2)
    }

    /// The action named `name` (`service:Action`, any case): one probe or a few of the
    /// `action_hash` table, where binary searches of the services and then of the service's
    /// actions compared a score of names.
    pub(crate) fn find_action(&self, name: &[u8]) -> Option<usize> {
        let slots = f::action_hash_slots(self.n_actions());
        let mask = slots - 1;
        let mut slot = f::name_hash(name) as usize & mask;
        // At most every slot once, should a corrupt blob have no empty one.
        for _ in 0..slots {
            let at = self.header[f::H_ACTION_HASH] + slot * 4;
            let id = read_u16(self.bytes, at).checked_sub(1)?;
            if self.is_named(id, read_u16(self.bytes, at + 2), name) {
                return Some(id);
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// Whether action `id` of service `svc` is `name` (`service:Action`), ignoring ASCII case.
    fn is_named(&self, id: usize, svc: usize, name: &[u8]) -> bool {
        let prefix = self.service_prefix_bytes(svc);
        name.len() > prefix.len()
            && name[prefix.len()] == b':'
            && name[..prefix.len()].eq_ignore_ascii_case(prefix)
            && name[prefix.len() + 1..].eq_ignore_ascii_case(self.action_name_bytes(id))
    }

    pub(crate) fn meta(&self) -> (&'static str, &'static str) {
        let mut r = Reader::new(self.bytes.get(self.header[f::H_META]..).unwrap_or_default());
        (r.str(), r.str())
    }

    pub(crate) fn service_prefix(&self, svc: usize) -> &'static str {
        self.service(svc).str()
    }

    pub(crate) fn action_name(&self, id: usize) -> &'static str {
        self.action(id).str()
    }

    /// [`Blob::service_prefix`] as bytes, for binary searches.
    pub(crate) fn service_prefix_bytes(&self, svc: usize) -> &'static [u8] {
        self.service(svc).str_bytes()
    }

    /// [`Blob::action_name`] as bytes, for binary searches.
    pub(crate) fn action_name_bytes(&self, id: usize) -> &'static [u8] {
        self.action(id).str_bytes()
    }

    /// [`Blob::key_name`] as bytes, for binary searches.
    pub(crate) fn key_name_bytes(&self, k: usize) -> &'static [u8] {
        let mut r = self.key(k);
        r.byte();
        r.str_bytes()
    }

    pub(crate) fn key_name(&self, k: usize) -> &'static str {
        let mut r = self.key(k);
        r.byte();
        r.str()
    }

    /// Binary search of `lo..hi` for an entry whose name equals `needle` ignoring ASCII case.
    pub(crate) fn find_ci(
        &self,
        range: Range<usize>,
        needle: &str,
        name: impl Fn(usize) -> &'static [u8],
    ) -> Option<usize> {
        let (mut lo, mut hi) = (range.start, range.end);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match cmp_ci(name(mid), needle.as_bytes()) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The sub-range of `range` whose names start with `prefix`, ignoring ASCII case.
    pub(crate) fn prefix_range_ci(
        &self,
        range: Range<usize>,
        prefix: &[u8],
        name: impl Fn(usize) -> &'static [u8],
    ) -> Range<usize> {
        let key = |i: usize| {
            let n = name(i);
            cmp_ci(&n[..n.len().min(prefix.len())], prefix)
        };
        let start = partition_point(range.clone(), |i| key(i) == Ordering::Less);
        let end = partition_point(start..range.end, |i| key(i) != Ordering::Greater);
        start..end
    }
}

fn partition_point(range: Range<usize>, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Compares as if both sides were ASCII-lower-cased, which is how build.rs sorts.
/// A plain loop: every action name a policy writes goes through two binary searches of
/// these comparisons.
pub(crate) fn cmp_ci(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

fn read_u16(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at..at + 2) {
        Some(&[a, b]) => u16::from_le_bytes([a, b]) as usize,
        _ => 0,
    }
}

fn read_u32(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
        _ => 0,
    }
}

/// A cursor over one record.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    bytes: &'static [u8],
    pos: usize,
}

impl Reader {
    fn new(bytes: &'static [u8]) -> Reader {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub(crate) fn varint(&mut self) -> usize {
        let mut v = 0usize;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            v |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        v
    }

    /// A list length; bounded by the bytes left, since every element takes at least one byte,
    /// so a corrupt length cannot make a caller loop for long.
    pub(crate) fn count(&mut self) -> usize {
        self.varint().min(self.bytes.len().saturating_sub(self.pos))
    }

    pub(crate) fn str(&mut self) -> &'static str {
        let len = self.varint();
        let start = self.pos.min(self.bytes.len());
        let end = start.saturating_add(len).min(self.bytes.len());
        self.pos = start.saturating_add(len);
        let bytes: &'static [u8] = self.bytes;
        std::str::from_utf8(bytes.get(start..end).unwrap_or_default()).unwrap_or_default()
    }

    /// The bytes of the next string, without the UTF-8 check of [`Reader::str`]: for the
    /// comparisons of binary searches, which run for every action pattern of a policy.
    pub(crate) fn str_bytes(&mut self) -> &'static [u8] {
        let len = self.varint();
        let start = self.pos.min(self.bytes.len());
        let end = start.saturating_add(len).min(self.bytes.len());
        self.pos = start.saturating_add(len);
        let bytes: &'static [u8] = self.bytes;
        bytes.get(start..end).unwrap_or_default()
    }

    pub(crate) fn skip_str(&mut self) {
        let len = self.varint();
        self.pos = self.pos.saturating_add(len);
    }

    pub(crate) fn skip_varints(&mut self, n: usize) {
        for _ in 0..n {
            self.varint();
        }
    }

    pub(crate) fn skip_strs(&mut self, n: usize) {
        for _ in 0..n {
            self.skip_str();
        }
    }
}
