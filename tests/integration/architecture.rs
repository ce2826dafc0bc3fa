//! The layering of `src/`, checked by reading the code: each top-level module of `lib.rs`
//! imports only modules declared before it there (the layers below it), and no two files
//! import each other, directly or through others. ARCHITECTURE.md explains the map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root (`["extract", "terraform", "lower"]`).
type ModulePath = Vec<String>;

struct SourceTree {
    /// Each file's module path, with its code (unit tests, comments and strings removed).
    files: BTreeMap<ModulePath, String>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read_tree() -> SourceTree {
    let mut tree = SourceTree {
        files: BTreeMap::new(),
    };
    let mut pending = vec![src_dir()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src_dir()).unwrap().with_extension("");
            let mut module: ModulePath = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|last| last == "mod") {
                module.pop();
            }
            if module == ["lib"] || module == ["main"] {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may reach anywhere; only the code that ships is layered.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            tree.files
                .insert(module, without_comments_and_strings(code));
        }
    }
    tree
}

/// The text with comments and the contents of string literals blanked, so that a path in a
/// doc comment or a message is not taken for an import.
fn without_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push('"');
            }
            // A char literal such as '"' must not open a string.
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\\") && rest.chars().nth(2) == Some('\'') {
                    chars.nth(2);
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.nth(1);
                }
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every path the code names from `crate`, `super` or `self`, with `use` groups expanded
/// (`crate::a::{b, c::d}` gives `crate::a::b` and `crate::a::c::d`).
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let at_word_start = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':');
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .any(|root| code[i..].starts_with(root));
        if at_word_start && starts {
            let end = path_end(code, i);
            expand(&code[i..end], &mut Vec::new(), &mut out);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The end of a path starting at `start`: identifiers, `::` and balanced braces.
fn path_end(code: &str, start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, c) in code[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if depth > 0 && (c.is_whitespace() || c == ',' || c == '*') => {}
            c if c.is_ascii_alphanumeric() || c == '_' || c == ':' => {}
            _ if depth == 0 => return start + offset,
            _ => {}
        }
    }
    code.len()
}

fn expand(path: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let path = path.trim();
    match path.find('{') {
        None => {
            let mut full = prefix.clone();
            full.extend(
                path.split("::")
                    .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
                    .filter(|s| !s.is_empty()),
            );
            out.push(full);
        }
        Some(open) => {
            let head = path[..open].trim_end_matches(':');
            let depth = prefix.len();
            prefix.extend(
                head.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
            let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
            for item in split_top_level(inner) {
                expand(item, prefix, out);
            }
            prefix.truncate(depth);
        }
    }
}

fn split_top_level(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// The file a path named in `from` leads to: the longest module prefix that is a file.
fn target_file(tree: &SourceTree, from: &ModulePath, path: &[String]) -> Option<ModulePath> {
    let mut current: ModulePath = from.clone();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            current.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {}
    }
    while rest.first().is_some_and(|s| s == "super") {
        current.pop();
        rest = &rest[1..];
    }
    let mut full = current;
    full.extend(rest.iter().filter(|s| *s != "self").cloned());
    (1..=full.len())
        .rev()
        .map(|len| full[..len].to_vec())
        .find(|prefix| tree.files.contains_key(prefix))
}

/// The top-level modules of `lib.rs`, lowest layer first.
fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string(src_dir().join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("pub(crate) mod "))
        })
        .map(|name| name.trim_end_matches(';').to_string())
        .collect()
}

fn imports(tree: &SourceTree) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let mut edges: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
    for (module, code) in &tree.files {
        let targets = edges.entry(module.clone()).or_default();
        for path in named_paths(code) {
            if let Some(target) = target_file(tree, module, &path)
                && &target != module
            {
                targets.insert(target);
            }
        }
    }
    edges
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let tree = read_tree();
    assert!(tree.files.len() > 50, "src/ was not read");
    let layers = layers();
    let rank = |module: &ModulePath| {
        layers
            .iter()
            .position(|layer| *layer == module[0])
            .unwrap_or_else(|| panic!("src/{} is not a module of lib.rs", module[0]))
    };
    let mut upward = Vec::new();
    for (module, targets) in imports(&tree) {
        for target in targets {
            if rank(&target) > rank(&module) {
                upward.push(format!(
                    "{} imports {}",
                    module.join("::"),
                    target.join("::")
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports from a lower layer to a higher one (layers, lowest first: {}):\n{}",
        layers.join(", "),
        upward.join("\n")
    );
}

#[test]
fn no_two_files_import_each_other() {
    let tree = read_tree();
    let edges = imports(&tree);
    // Tarjan's strongly connected components: any with two files or more is a circle.
    struct Search<'a> {
        edges: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'a ModulePath, usize>,
        low: BTreeMap<&'a ModulePath, usize>,
        stack: Vec<&'a ModulePath>,
        circles: Vec<Vec<String>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, module: &'a ModulePath) {
            let next = self.index.len();
            self.index.insert(module, next);
            self.low.insert(module, next);
            self.stack.push(module);
            for target in self.edges.get(module).into_iter().flatten() {
                let target = self.edges.get_key_value(target).map_or(target, |(k, _)| k);
                if !self.index.contains_key(target) {
                    self.visit(target);
                    let low = self.low[target].min(self.low[module]);
                    self.low.insert(module, low);
                } else if self.stack.contains(&target) {
                    let low = self.index[target].min(self.low[module]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let mut circle = Vec::new();
                while let Some(member) = self.stack.pop() {
                    circle.push(member.join("::"));
                    if member == module {
                        break;
                    }
                }
                if circle.len() > 1 {
                    circle.sort();
                    self.circles.push(circle);
                }
            }
        }
    }
    let mut search = Search {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        circles: Vec::new(),
    };
    for module in edges.keys() {
        if !search.index.contains_key(module) {
            search.visit(module);
        }
    }
    assert!(
        search.circles.is_empty(),
        "files that import each other (directly or through others):\n{:#?}",
        search.circles
    );
}

#[test]
fn the_reader_finds_imports() {
    let code = "use crate::a::{b, c::{d, e}};\nfn f() { super::g::h(); let s = \"crate::x\"; }\n";
    let paths = named_paths(&without_comments_and_strings(code));
    assert_eq!(
        paths,
        [
            vec!["crate", "a", "b"],
            vec!["crate", "a", "c", "d"],
            vec!["crate", "a", "c", "e"],
            vec!["super", "g", "h"],
        ]
    );
}
