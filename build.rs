//! Compiles the committed action catalog (`action_catalog/services/*.tsv`) into the compact
//! binary blob that `src/catalog` embeds, so the program never parses text at startup.

#[path = "src/catalog/format.rs"]
mod format;

use std::collections::HashMap;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let services_dir = root.join("action_catalog/services");
    println!("cargo::rerun-if-changed=action_catalog/services");
    println!("cargo::rerun-if-changed=action_catalog/SOURCE");
    println!("cargo::rerun-if-changed=src/catalog/format.rs");

    let mut files: Vec<_> = std::fs::read_dir(&services_dir)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", services_dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut services = Vec::with_capacity(files.len());
    for path in &files {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        services.push(
            parse_service(stem, &text)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display()))),
        );
    }
    services.sort_by(|a, b| a.prefix.cmp(&b.prefix));

    let source = std::fs::read_to_string(root.join("action_catalog/SOURCE")).unwrap_or_default();
    let field = |name: &str| {
        source
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix('\t'))
            .unwrap_or("")
            .to_string()
    };
    let meta = (field("version"), field("data_updated_at"));

    let blob = encode(&services, &meta).unwrap_or_else(|e| fail(&e));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR not set")))
        .join("catalog.bin");
    std::fs::write(&out, blob)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));

    let managed_date = managed_policies(root);
    rule_data(root, &action_ids(&services));
    // What `iamlint --version` says about the data it embeds.
    println!(
        "cargo::rustc-env=IAMLINT_DATA_DATES=AWS catalog {}, managed policies {}",
        meta.1.get(..10).unwrap_or(&meta.1),
        managed_date.get(..10).unwrap_or(&managed_date),
    );
}

/// Compiles `action_catalog/managed-policies/policies.jsonl` (one policy a line, as
/// `refresh_managed_policies.py` writes it) into `managed_policies.bin`, every document
/// deflated on its own so that looking one up inflates only it, and `managed_policies.rs`, the
/// index `src/catalog/managed_policies.rs` includes: the names, paths, versions and dates in
/// one string, and per policy the byte ranges of its fields (ranges, not `&str`s, so that
/// loading the binary relocates nothing). Returns the data date.
fn managed_policies(root: &Path) -> String {
    use std::fmt::Write as _;
    let dir = root.join("action_catalog/managed-policies");
    println!("cargo::rerun-if-changed=action_catalog/managed-policies");
    let fail_at = |line: usize, msg: &str| -> ! {
        fail(&format!("managed-policies/policies.jsonl:{line}: {msg}"))
    };
    let path = dir.join("policies.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    let source = std::fs::read_to_string(dir.join("SOURCE")).unwrap_or_default();
    let field = |name: &str| {
        source
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix('\t'))
            .unwrap_or("")
            .to_string()
    };

    let mut strings = String::new();
    let mut data = Vec::new();
    let mut rows = String::new();
    let mut previous = String::new();
    let mut count = 0usize;
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        let number = index + 1;
        // `{"name":"N","path":"P","version":"V","updated":"D","document":{...}}`: the script
        // writes the fields in this order, and none of the first four holds a quote.
        let mut rest = line;
        let mut fields = Vec::new();
        for key in ["name", "path", "version", "updated"] {
            let opening = if key == "name" { "{" } else { "," };
            rest = rest
                .strip_prefix(&format!("{opening}\"{key}\":\""))
                .unwrap_or_else(|| fail_at(number, &format!("expected the field `{key}`")));
            let (value, after) = rest
                .split_once('"')
                .unwrap_or_else(|| fail_at(number, &format!("unterminated `{key}`")));
            if value.contains('\\') {
                fail_at(number, &format!("an escape in `{key}`"));
            }
            fields.push(value);
            rest = after;
        }
        let document = rest
            .strip_prefix(",\"document\":")
            .and_then(|d| d.strip_suffix('}'))
            .unwrap_or_else(|| fail_at(number, "expected the field `document` last"));
        if fields[0] <= previous.as_str() {
            fail_at(number, "names are not sorted or not unique");
        }
        previous = fields[0].to_string();
        let mut ranges = Vec::new();
        for value in &fields {
            let start = strings.len();
            strings.push_str(value);
            ranges.push((start, strings.len()));
        }
        let start = data.len();
        data.extend(miniz_oxide::deflate::compress_to_vec(
            document.as_bytes(),
            9,
        ));
        let _ = writeln!(
            rows,
            "    Row {{ name: {:?}, path: {:?}, version: {:?}, updated: {:?}, \
             deflated: ({start}, {}), inflated: {} }},",
            ranges[0],
            ranges[1],
            ranges[2],
            ranges[3],
            data.len(),
            document.len()
        );
        count += 1;
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR not set")))
        .to_path_buf();
    let index = format!(
        "// Generated by build.rs from action_catalog/managed-policies/.\n\
         const COUNT: usize = {count};\n\
         static SOURCE_VERSION: &str = {:?};\n\
         static DATA_DATE: &str = {:?};\n\
         static STRINGS: &str = {strings:?};\n\
         static ROWS: [Row; COUNT] = [\n{rows}];\n",
        field("version"),
        field("data_updated_at"),
    );
    for (name, bytes) in [
        ("managed_policies.bin", data.as_slice()),
        ("managed_policies.rs", index.as_bytes()),
    ] {
        let file = out.join(name);
        std::fs::write(&file, bytes)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", file.display())));
    }
    field("data_updated_at")
}

/// Each action's id in the blob (`encode` numbers the actions of the sorted services in
/// order), by lower-case `service:Action` name.
fn action_ids(services: &[Service]) -> HashMap<String, usize> {
    services
        .iter()
        .flat_map(|svc| {
            svc.actions
                .iter()
                .map(move |a| format!("{}:{}", svc.prefix, a.name).to_ascii_lowercase())
        })
        .enumerate()
        .map(|(id, name)| (name, id))
        .collect()
}

/// Compiles the JSON data files of `rules/data/` into Rust tables that the modules reading
/// them `include!` (`OUT_DIR/<file>.rs`), so that a run parses no JSON to start: the JSON
/// files stay the source of truth. Only the fields the code reads are written, as written; a
/// missing one is written empty, and what the code checks of each entry (every action
/// resolves, a source is named) is still checked there, where a unit test sees the errors.
/// Action names are written with their catalog ids (`ids`), so that a run looks none up.
fn rule_data(root: &Path, ids: &HashMap<String, usize>) {
    use serde_json::Value;
    let read = |name: &str| -> Value {
        println!("cargo::rerun-if-changed=rules/data/{name}");
        let path = root.join("rules/data").join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("rules/data/{name}: {e}")))
    };
    let array = |value: &Value, key: &str| -> Vec<Value> {
        value
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let text = |value: &Value, key: &str| -> String {
        format!(
            "{:?}",
            value.get(key).and_then(Value::as_str).unwrap_or_default()
        )
    };
    let texts = |values: &[Value]| -> String {
        let quoted: Vec<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(|s| format!("{s:?}"))
            .collect();
        format!("&[{}]", quoted.join(", "))
    };
    // `("iam:PassRole", Some(ActionId(n)))`, `None` for a name the catalog does not know.
    let actions = |values: &[Value]| -> String {
        let named: Vec<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(|name| match ids.get(&name.to_ascii_lowercase()) {
                Some(id) => format!("({name:?}, Some(ActionId({id})))"),
                None => format!("({name:?}, None)"),
            })
            .collect();
        format!("&[{}]", named.join(", "))
    };
    let write = |name: &str, source: String| {
        let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR not set")))
            .join(name);
        std::fs::write(&out, source)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    };

    let escalation = read("privilege_escalation.json");
    let mut entries = String::from("&[\n");
    for path in array(&escalation, "paths") {
        entries += &format!(
            "    Entry {{ id: {}, family: {}, summary: {}, requires: {}, has_source: {} }},\n",
            text(&path, "id"),
            text(&path, "family"),
            text(&path, "summary"),
            actions(&array(&path, "requires")),
            !array(&path, "source").is_empty(),
        );
    }
    write("privilege_escalation.rs", entries + "]\n");

    // Each group is a list of entries, each with its source and its `actions`.
    let sensitive = read("sensitive_actions.json");
    let mut groups = String::new();
    let names = |group: &str| -> Vec<Value> {
        array(&sensitive, group)
            .iter()
            .flat_map(|entry| array(entry, "actions"))
            .collect()
    };
    for (constant, group) in [
        ("CREDENTIALS_EXPOSURE", "credentials-exposure"),
        ("DATA_EXFILTRATION", "data-exfiltration"),
        ("RESOURCE_EXPOSURE", "resource-exposure"),
    ] {
        groups += &format!(
            "const {constant}: &[NamedAction] = {};\n",
            actions(&names(group))
        );
    }
    groups += &format!(
        "const IDENTITY_SERVICES: &[&str] = {};\n",
        texts(&names("identity-services"))
    );
    write("sensitive_actions.rs", groups);

    let limiting = read("limiting_condition_keys.json");
    let mut keys = String::from("&[\n");
    for key in array(&limiting, "keys") {
        keys += &format!(
            "    Entry {{ key: {}, class: {}, source: {} }},\n",
            text(&key, "key"),
            text(&key, "class"),
            text(&key, "source"),
        );
    }
    write("limiting_condition_keys.rs", keys + "]\n");

    // The pathfinding.cloud catalogue, which `convert.py` writes complete: a missing field
    // is an error here, as it was for the reader it replaces.
    println!("cargo::rerun-if-changed=rules/data/pathfinding-cloud/paths.json");
    let catalogue = read("pathfinding-cloud/paths.json");
    let required = |path: &Value, key: &str| -> String {
        match path.get(key).and_then(Value::as_str) {
            Some(value) => format!("{value:?}"),
            None => fail(&format!(
                "pathfinding-cloud/paths.json: a path without `{key}`"
            )),
        }
    };
    let optional = |path: &Value, key: &str| -> String {
        match path.get(key).and_then(Value::as_str) {
            Some(value) => format!("Some({value:?})"),
            None => "None".into(),
        }
    };
    let mut paths = String::from("&[\n");
    for path in array(&catalogue, "paths") {
        let permissions: Vec<String> = array(&path, "permissions")
            .iter()
            .map(|p| {
                format!(
                    "CataloguePermission {{ action: {}, applies_to: {} }}",
                    required(p, "action"),
                    required(p, "applies_to")
                )
            })
            .collect();
        paths += &format!(
            "    CataloguePath {{ id: {}, name: {}, category: {}, permissions: &[{}], gains: {}, \
             parent: {}, passed_to_service: {}, not_in_graph: {} }},\n",
            required(&path, "id"),
            required(&path, "name"),
            required(&path, "category"),
            permissions.join(", "),
            required(&path, "gains"),
            optional(&path, "parent"),
            optional(&path, "passed_to_service"),
            optional(&path, "not_in_graph"),
        );
    }
    write("pathfinding_paths.rs", paths + "]\n");
}

fn fail(msg: &str) -> ! {
    eprintln!("action catalog: {msg}");
    std::process::exit(1)
}

struct Service {
    prefix: String,
    name: String,
    keys: Vec<(String, u8)>,
    rtypes: Vec<RType>,
    actions: Vec<Action>,
}

struct RType {
    name: String,
    arns: Vec<String>,
    keys: Vec<String>,
}

struct Action {
    name: String,
    access: u8,
    keys: Vec<String>,
    deps: Vec<String>,
    on: Vec<On>,
}

struct On {
    rtype: String,
    required: bool,
    keys: Vec<String>,
    deps: Vec<String>,
}

fn list(field: Option<&str>) -> Vec<String> {
    field
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_service(stem: &str, text: &str) -> Result<Service, String> {
    let mut svc = Service {
        prefix: String::new(),
        name: String::new(),
        keys: vec![],
        rtypes: vec![],
        actions: vec![],
    };
    for (n, line) in text.lines().enumerate() {
        let err = |m: &str| format!("line {}: {m}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut f = line.split('\t');
        let kind = f.next().unwrap_or("");
        match kind {
            "service" => {
                svc.prefix = f
                    .next()
                    .ok_or_else(|| err("service prefix missing"))?
                    .to_string();
                svc.name = f
                    .next()
                    .ok_or_else(|| err("service name missing"))?
                    .to_string();
                if svc.prefix != stem {
                    return Err(err(&format!(
                        "prefix {:?} does not match the file name",
                        svc.prefix
                    )));
                }
            }
            "key" => {
                let key = f
                    .next()
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| err("key name missing"))?;
                let ty = f.next().unwrap_or("");
                let code = format::KEY_TYPE_NAMES
                    .iter()
                    .position(|t| *t == ty)
                    .ok_or_else(|| err(&format!("unknown key type {ty:?}")))?;
                let mut code = code as u8;
                if format::is_templated_key(key) {
                    code |= format::KEY_TEMPLATED;
                }
                svc.keys.push((key.to_string(), code));
            }
            "resource" => {
                let name = f
                    .next()
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| err("resource name missing"))?;
                let arns = list(f.next());
                if arns.is_empty() {
                    return Err(err("resource without ARN format"));
                }
                svc.rtypes.push(RType {
                    name: name.to_string(),
                    arns,
                    keys: list(f.next()),
                });
            }
            "action" => {
                let name = f
                    .next()
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| err("action name missing"))?;
                let mut access = 0u8;
                for level in f.next().unwrap_or("").split(',') {
                    let bit = format::ACCESS_LEVEL_NAMES
                        .iter()
                        .position(|l| *l == level)
                        .ok_or_else(|| err(&format!("unknown access level {level:?}")))?;
                    access |= 1 << bit;
                }
                let keys = list(f.next());
                let deps = list(f.next());
                svc.actions.push(Action {
                    name: name.to_string(),
                    access,
                    keys,
                    deps,
                    on: vec![],
                });
            }
            "on" => {
                let rtype = f
                    .next()
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| err("resource type missing"))?;
                let required = match f.next() {
                    Some("required") => true,
                    Some("optional") => false,
                    other => {
                        return Err(err(&format!("expected required/optional, got {other:?}")));
                    }
                };
                let on = On {
                    rtype: rtype.to_string(),
                    required,
                    keys: list(f.next()),
                    deps: list(f.next()),
                };
                svc.actions
                    .last_mut()
                    .ok_or_else(|| err("`on` before any action"))?
                    .on
                    .push(on);
            }
            other => return Err(err(&format!("unknown record {other:?}"))),
        }
    }
    if svc.prefix.is_empty() {
        return Err("no `service` line".into());
    }
    svc.keys.sort_by_key(|k| k.0.to_ascii_lowercase());
    svc.rtypes.sort_by_key(|r| r.name.to_ascii_lowercase());
    svc.actions.sort_by_key(|a| a.name.to_ascii_lowercase());
    for w in svc.keys.windows(2) {
        if w[0].0.eq_ignore_ascii_case(&w[1].0) {
            return Err(format!("condition key {} defined twice", w[0].0));
        }
    }
    for w in svc.rtypes.windows(2) {
        if w[0].name.eq_ignore_ascii_case(&w[1].name) {
            return Err(format!("resource type {} defined twice", w[0].name));
        }
    }
    for w in svc.actions.windows(2) {
        if w[0].name.eq_ignore_ascii_case(&w[1].name) {
            return Err(format!("action {} defined twice", w[0].name));
        }
    }
    Ok(svc)
}

#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn varint(&mut self, mut v: usize) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }
    fn str(&mut self, s: &str) {
        self.varint(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    fn strs(&mut self, list: &[String]) {
        self.varint(list.len());
        for s in list {
            self.str(s);
        }
    }
    fn u16(&mut self, v: usize) -> Result<(), String> {
        let v =
            u16::try_from(v).map_err(|_| format!("{v} does not fit the u16 fields of the blob"))?;
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn u32(&mut self, v: usize) -> Result<(), String> {
        let v =
            u32::try_from(v).map_err(|_| format!("{v} does not fit the u32 fields of the blob"))?;
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
}

fn encode(services: &[Service], meta: &(String, String)) -> Result<Vec<u8>, String> {
    let mut records = Writer::default();
    let (mut svc_offs, mut act_offs, mut rt_offs, mut key_offs) = (vec![], vec![], vec![], vec![]);
    let mut svc_table = vec![(0usize, 0usize, 0usize)];
    let mut names: Vec<(String, usize)> = vec![];
    // Each action's `service:Action` and service index, for the `action_hash` table.
    let mut qualified_names: Vec<(String, usize)> = vec![];

    for (svc_index, svc) in services.iter().enumerate() {
        svc_offs.push(records.buf.len());
        records.str(&svc.prefix);
        records.str(&svc.name);

        let key_index: HashMap<String, usize> = svc
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.0.to_ascii_lowercase(), i))
            .collect();
        let key_ref = |k: &str, what: &str| -> Result<usize, String> {
            key_index
                .get(&k.to_ascii_lowercase())
                .copied()
                .ok_or_else(|| format!("{}: {what} uses undefined condition key {k}", svc.prefix))
        };
        let key_list = |w: &mut Writer, keys: &[String], what: &str| -> Result<(), String> {
            w.varint(keys.len());
            for k in keys {
                w.varint(key_ref(k, what)?);
            }
            Ok(())
        };
        let rt_index: HashMap<&str, usize> = svc
            .rtypes
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.as_str(), i))
            .collect();

        for (key, code) in &svc.keys {
            key_offs.push(records.buf.len());
            records.buf.push(*code);
            records.str(key);
        }
        for rt in &svc.rtypes {
            rt_offs.push(records.buf.len());
            records.str(&rt.name);
            records.strs(&rt.arns);
            key_list(
                &mut records,
                &rt.keys,
                &format!("resource type {}", rt.name),
            )?;
        }
        for action in &svc.actions {
            names.push((action.name.to_ascii_lowercase(), act_offs.len()));
            qualified_names.push((format!("{}:{}", svc.prefix, action.name), svc_index));
            act_offs.push(records.buf.len());
            let what = format!("action {}", action.name);
            records.str(&action.name);
            records.buf.push(action.access);
            key_list(&mut records, &action.keys, &what)?;
            records.strs(&action.deps);
            records.varint(action.on.len());
            for on in &action.on {
                let rt = rt_index.get(on.rtype.as_str()).ok_or_else(|| {
                    format!(
                        "{}: {what} uses undefined resource type {}",
                        svc.prefix, on.rtype
                    )
                })?;
                records.varint(*rt);
                records
                    .buf
                    .push(if on.required { format::ON_REQUIRED } else { 0 });
                key_list(&mut records, &on.keys, &what)?;
                records.strs(&on.deps);
            }
        }
        svc_table.push((act_offs.len(), rt_offs.len(), key_offs.len()));
    }
    for offs in [&mut svc_offs, &mut act_offs, &mut rt_offs, &mut key_offs] {
        offs.push(records.buf.len());
    }
    names.sort();

    // Sections after the header, in order; the header records where each starts.
    let mut body = Writer::default();
    let mut starts = [0usize; format::HEADER_FIELDS];
    let header_len = format::HEADER_FIELDS * 4;
    starts[format::H_SVC_TABLE] = header_len + body.buf.len();
    for (a, r, k) in &svc_table {
        body.u16(*a)?;
        body.u16(*r)?;
        body.u16(*k)?;
    }
    for (field, offs) in [
        (format::H_SVC_OFFS, &svc_offs),
        (format::H_ACT_OFFS, &act_offs),
        (format::H_RT_OFFS, &rt_offs),
        (format::H_KEY_OFFS, &key_offs),
    ] {
        starts[field] = header_len + body.buf.len();
        for o in offs {
            body.u32(*o)?;
        }
    }
    starts[format::H_NAME_INDEX] = header_len + body.buf.len();
    for (_, id) in &names {
        body.u16(*id)?;
    }
    starts[format::H_ACTION_HASH] = header_len + body.buf.len();
    let mut slots = vec![(0usize, 0usize); format::action_hash_slots(qualified_names.len())];
    let mask = slots.len() - 1;
    for (id, (name, svc_index)) in qualified_names.iter().enumerate() {
        let mut slot = format::name_hash(name.as_bytes()) as usize & mask;
        while slots[slot].0 != 0 {
            slot = (slot + 1) & mask;
        }
        slots[slot] = (id + 1, *svc_index);
    }
    for (id, svc_index) in slots {
        body.u16(id)?;
        body.u16(svc_index)?;
    }
    starts[format::H_RECORDS] = header_len + body.buf.len();
    body.buf.extend_from_slice(&records.buf);
    starts[format::H_META] = header_len + body.buf.len();
    body.str(&meta.0);
    body.str(&meta.1);

    let mut header = Writer::default();
    let counts = [
        (format::H_SERVICES, services.len()),
        (format::H_ACTIONS, act_offs.len() - 1),
        (format::H_RTYPES, rt_offs.len() - 1),
        (format::H_KEYS, key_offs.len() - 1),
    ];
    for (field, n) in counts {
        starts[field] = n;
    }
    starts[format::H_MAGIC] = format::MAGIC as usize;
    for v in starts {
        header.u32(v)?;
    }
    header.buf.extend_from_slice(&body.buf);

    Ok(header.buf)
}
