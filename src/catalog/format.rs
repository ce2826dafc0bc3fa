//! Layout of the binary catalog blob, shared by `build.rs` (writer) and the reader.
//
// This file is compiled twice: into the library and, through `#[path]`, into the build script.
// It must therefore stay free of crate-internal paths and dependencies.
//
// Blob layout (all integers little-endian):
//
//   header      HEADER_FIELDS x u32 (indices below), starting with MAGIC
//   svc_table   (n_services + 1) x [action_start u16, rtype_start u16, key_start u16]
//               (the extra row holds the totals, so ranges are row[i]..row[i + 1])
//   svc_offs    (n_services + 1) x u32 offsets into `records` (same for the three below)
//   act_offs    (n_actions + 1) x u32
//   rt_offs     (n_rtypes + 1) x u32
//   key_offs    (n_keys + 1) x u32
//   name_index  n_actions x u16: action ids ordered by lower-case action name, then id
//   action_hash action_hash_slots(n_actions) x [id + 1 u16, service u16]: each action at the
//               `name_hash` of its lower-case `service:Action`, the next free slot on a
//               collision (linear probing); id 0 is an empty slot
//   records     variable-length records; `str` = varint length + UTF-8 bytes
//       service:  str prefix, str name
//       rtype:    str name, varint n, n x str arn_format, varint n, n x varint key (service-local)
//       key:      u8 type code (| KEY_TEMPLATED), str key
//       action:   str name, u8 access bits, varint n, n x varint key, varint n, n x str dependent,
//                 varint n, n x on-record
//       on:       varint rtype (service-local), u8 flags (ON_REQUIRED), varint n, n x varint key,
//                 varint n, n x str dependent
//   meta        str source version, str data date
//
// Services are sorted by prefix; actions, resource types and keys of a service are contiguous
// and sorted by their lower-case name, so lookups are binary searches and `svc:*` is a range.

/// First header field; bumped whenever the layout changes.
pub(super) const MAGIC: u32 = u32::from_le_bytes(*b"IAC2");

pub(super) const H_MAGIC: usize = 0;
pub(super) const H_SERVICES: usize = 1;
pub(super) const H_ACTIONS: usize = 2;
pub(super) const H_RTYPES: usize = 3;
pub(super) const H_KEYS: usize = 4;
pub(super) const H_SVC_TABLE: usize = 5;
pub(super) const H_SVC_OFFS: usize = 6;
pub(super) const H_ACT_OFFS: usize = 7;
pub(super) const H_RT_OFFS: usize = 8;
pub(super) const H_KEY_OFFS: usize = 9;
pub(super) const H_NAME_INDEX: usize = 10;
pub(super) const H_RECORDS: usize = 11;
pub(super) const H_META: usize = 12;
pub(super) const H_ACTION_HASH: usize = 13;
pub(super) const HEADER_FIELDS: usize = 14;

/// Slots of the `action_hash` table: a power of two at least twice the actions, so that a
/// lookup probes little more than one slot.
pub(super) fn action_hash_slots(n_actions: usize) -> usize {
    (n_actions * 2).next_power_of_two()
}

/// The key of the `action_hash` table, the same for names that differ only in the case of
/// ASCII letters. Eight bytes at a time: `| 0x20` lower-cases a letter (and takes a few
/// punctuation marks to others, which at worst costs a lookup one more probe).
pub(super) fn name_hash(bytes: &[u8]) -> u32 {
    const LOWER: u64 = u64::from_le_bytes([0x20; 8]);
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |hash: u64, word: [u8; 8]| {
        (hash.rotate_left(5) ^ (u64::from_le_bytes(word) | LOWER)).wrapping_mul(K)
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = bytes.len() as u64;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = mix(hash, word);
    }
    // The rest padded with zeros.
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        hash = mix(hash, word);
    }
    // The high half: a product's low bits depend only on its factors' low bits.
    (hash >> 32) as u32
}

/// Type codes of condition keys, in the spelling of the Service Authorization Reference.
/// The index is the code stored in the blob.
pub(super) const KEY_TYPE_NAMES: [&str; 15] = [
    "String",
    "ArrayOfString",
    "ARN",
    "ArrayOfARN",
    "Bool",
    "ArrayOfBool",
    "Numeric",
    "ArrayOfNumeric",
    "Date",
    "ArrayOfDate",
    "IPAddress",
    "ArrayOfIPAddress",
    "Binary",
    "ArrayOfBinary",
    "Unknown",
];

/// Set on a key's type byte when the key name holds a `${...}` or `<...>` placeholder.
pub(super) const KEY_TEMPLATED: u8 = 0x80;

/// Access levels; bit `1 << index` in an action's access byte.
pub(super) const ACCESS_LEVEL_NAMES: [&str; 5] =
    ["List", "Read", "Write", "Permissions management", "Tagging"];

/// Flag bit of an action's resource-type entry.
pub(super) const ON_REQUIRED: u8 = 1;

/// Whether a condition key name contains a placeholder such as `${TagKey}` or `<key>`; a
/// few services write it `.../tag-key`.
pub(super) fn is_templated_key(key: &str) -> bool {
    key.contains("${") || (key.contains('<') && key.contains('>')) || key.ends_with("/tag-key")
}
