//! Terraform modules (`.tf` and `.tf.json`): every IAM policy document they write, with its
//! address, kind and the principals it is attached to.
//!
//! A module is a directory: all its files are read together, so `local.x` and
//! `data.aws_iam_policy_document.x.json` resolve across files. A local child module
//! (`module "x" { source = "./modules/x" }`) is read again with the values its caller passes:
//! its documents that read them are checked as the caller's, and everything it declares joins
//! the caller's access graph under the call (`module.x.aws_iam_role.y`, one instance for a
//! call with `count` or `for_each`), its outputs (`module.x.role_arn`) naming what they hold.
//! One level deep: a child's own module calls are read when the child is checked.

mod body;
mod call;
mod carriers;
mod eval;
mod lower;
mod module;
mod pieces;
pub mod plan;
mod policy_document;

use self::body::{Attr, Block, Src};
use self::call::{Call, is_callers, mark_callers};
use self::carriers::{
    ATTACHMENTS, CARRIERS, DATA_TARGETS, GRANTS, GROUP_MEMBERSHIPS, PRINCIPALS, PROFILE_USERS,
    RUNNER_NAMES, RUNNERS,
};
use self::lower::{Doc, Lowerer};
use self::module::Module;
pub use self::module::{NoFiles, ReadFiles};
use super::carrier::{self, carriers_of, grants_of, receivers};
use super::link::Links;
use super::{Extraction, json, syntax_error};
use crate::base::finding::Problem;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::value::{Unknown, Value, ValueKind};
use crate::extract::document::{
    Attachment, Caller, Origin, PolicyDocument, PolicyKind, PrincipalKind,
};
use crate::extract::inventory::{DataTarget, Declared, Inventory, Runner};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// What the extractor found in a module.
#[derive(Debug, Default)]
pub struct ModuleExtraction {
    pub extraction: Extraction,
    /// Files read through `file()`/`templatefile()`, each with the module file that read it.
    pub external: Vec<(FileId, FileId)>,
    /// Read as a child: its documents that read none of the caller's inputs (the same as
    /// when the child is checked on its own), for the caller's access graph only.
    context: Vec<PolicyDocument>,
    /// Read as a child: its outputs' values.
    outputs: HashMap<String, Value>,
    /// Read as a child: the caller's customer managed policies it attaches (`policy_arn =
    /// var.policy_arn`): (the policy, the attachment, whether a permissions boundary).
    callers_policies: Vec<(String, Attachment, bool)>,
}

/// Extracts the policies of one module from its files (`files` are the module's `.tf` and
/// `.tf.json` files, already in the source map).
pub fn extract_module(
    dir: &Path,
    files: &[(FileId, Arc<SourceFile>)],
    read: &dyn ReadFiles,
) -> ModuleExtraction {
    extract_with(dir, files, read, None)
}

/// What a caller gives a local child module: its variables, lowered where the caller writes
/// them.
struct Inputs {
    values: HashMap<String, Value>,
}

/// Module arguments that are not variables of the child.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

fn extract_with(
    dir: &Path,
    files: &[(FileId, Arc<SourceFile>)],
    read: &dyn ReadFiles,
    inputs: Option<Inputs>,
) -> ModuleExtraction {
    let mut diagnostics = Vec::new();
    let parsed = ParsedFiles::parse(files, &mut diagnostics);
    let blocks = parsed.blocks();
    let module = Module::index(dir, &blocks);
    let child = inputs.is_some();
    let mut run = Run::new(Lowerer::new(&module, read), child);
    if let Some(inputs) = inputs {
        for block in &blocks {
            if let ("variable", [name]) = (block.ident, block.labels.as_slice())
                && !inputs.values.contains_key(*name)
                && let Some(default) = run.lowerer.attr_value(block, "default")
            {
                run.lowerer.defaults.insert(name.to_string(), default);
            }
        }
        run.lowerer.inputs = inputs.values;
    }
    // Module calls first, so the resources that read a child's outputs find them.
    for block in &blocks {
        if let ("module", [name]) = (block.ident, block.labels.as_slice())
            && !child
            && !run.lowerer.creates_nothing(block)
        {
            run.module_call(block, name);
        }
    }
    if !child && parsed.in_parallel && !reads_files(files) {
        run.lower_in_parts(&blocks);
    } else {
        for block in &blocks {
            run.block(block);
        }
    }
    let mut outputs = HashMap::new();
    if child {
        for block in &blocks {
            if let ("output", [name]) = (block.ident, block.labels.as_slice()) {
                run.lowerer.reset_budget();
                if let Some(value) = run.lowerer.attr_value(block, "value") {
                    outputs.insert(name.to_string(), value);
                }
            }
        }
    }
    let mut extracted = run.finish(diagnostics);
    // The module and the blocks borrow the parsed files, so go first.
    drop(module);
    if parsed.in_parallel {
        blocks.into_par_iter().for_each(drop);
    }
    parsed.free();
    extracted.outputs = outputs;
    if child {
        // The child's own problems are reported when it is checked on its own.
        extracted.extraction.diagnostics.clear();
    }
    extracted
}

enum Parsed {
    Hcl(hcl_edit::structure::Body),
    Json(Value),
    Nothing,
}

/// A module's files parsed, a large `.tf` file in pieces parsed in parallel (see
/// [`pieces`]).
struct ParsedFiles<'a> {
    /// Each file, or each piece of a file, in order, with what it parsed to.
    parsed: Vec<(Src<'a>, Parsed)>,
    /// Whether the files were parsed on the pool's threads: then they are also read into
    /// blocks and freed there, and lowered there unless they read files.
    in_parallel: bool,
}

impl<'a> ParsedFiles<'a> {
    /// Parses `files`, adding a syntax error of each file that has one to `diagnostics`.
    fn parse(files: &'a [(FileId, Arc<SourceFile>)], diagnostics: &mut Vec<Problem>) -> Self {
        let pieces: Vec<(usize, Src<'a>)> = files
            .iter()
            .enumerate()
            .flat_map(|(index, (file, source))| {
                let whole = Src::of_file(*file, source);
                let ranges = if is_json(source.path()) {
                    std::iter::once(0..whole.text.len()).collect()
                } else {
                    pieces::pieces(whole.text)
                };
                ranges
                    .into_iter()
                    .map(move |range| (index, Src::piece_of_file(*file, source, range)))
            })
            .collect();
        let parse_piece = |(index, src): (usize, Src<'a>)| {
            let parsed = parse(&src, files[index].1.path());
            (index, src, parsed)
        };
        let bytes: usize = files.iter().map(|(_, source)| source.text().len()).sum();
        let in_parallel = bytes >= pieces::PARALLEL_FROM;
        let results: Vec<(usize, Src<'a>, Result<Parsed, Problem>)> = if in_parallel {
            pieces.into_par_iter().map(parse_piece).collect()
        } else {
            pieces.into_iter().map(parse_piece).collect()
        };
        let mut parsed = Vec::new();
        let mut results = results.into_iter().peekable();
        for (index, (file, source)) in files.iter().enumerate() {
            let mut file_pieces = Vec::new();
            while let Some((_, src, result)) = results.next_if(|(i, ..)| *i == index) {
                file_pieces.push((src, result));
            }
            // A file parsed whole, or all of whose pieces parse.
            if file_pieces.len() == 1 || file_pieces.iter().all(|(_, result)| result.is_ok()) {
                for (src, result) in file_pieces {
                    match result {
                        Ok(piece_parsed) => parsed.push((src, piece_parsed)),
                        Err(problem) => diagnostics.push(problem),
                    }
                }
                continue;
            }
            // Pieces cut in the wrong place, or a syntax error: the whole file's parse says
            // which, and where.
            let whole = Src::of_file(*file, source);
            match parse(&whole, source.path()) {
                Ok(whole_parsed) => parsed.push((whole, whole_parsed)),
                Err(problem) => diagnostics.push(problem),
            }
        }
        ParsedFiles {
            parsed,
            in_parallel,
        }
    }

    /// The top-level blocks of every file, in order, read on the pool's threads when parsed
    /// there.
    fn blocks(&self) -> Vec<Block<'_>> {
        fn of_piece<'p>((src, parsed): &'p (Src<'p>, Parsed)) -> Vec<Block<'p>> {
            match parsed {
                Parsed::Hcl(body) => body::from_hcl(body, src),
                Parsed::Json(root) => body::from_json(root, src),
                Parsed::Nothing => Vec::new(),
            }
        }
        if self.in_parallel {
            self.parsed.par_iter().flat_map_iter(of_piece).collect()
        } else {
            self.parsed.iter().flat_map(of_piece).collect()
        }
    }

    /// Frees the parsed files on the pool's threads when parsed there: freeing the syntax
    /// trees of a few megabytes on one thread took a third as long as parsing them, with the
    /// other threads idle (and a thread frees what another allocated more slowly).
    fn free(self) {
        if self.in_parallel {
            self.parsed.into_par_iter().for_each(drop);
        }
    }
}

fn is_json(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".json"))
}

/// One file, or one piece of a `.tf` file, parsed.
fn parse(src: &Src<'_>, path: &Path) -> Result<Parsed, Problem> {
    if is_json(path) {
        return match json::parse_file(src.file, src.file_text) {
            Ok(Some(root)) => Ok(Parsed::Json(root)),
            Ok(None) => Ok(Parsed::Nothing),
            Err(error) => Err(syntax_error(
                src.file,
                src.file_text,
                error.offset,
                format!("invalid JSON: {}", error.message),
            )),
        };
    }
    match hcl_edit::parser::parse_body(src.text) {
        Ok(body) => Ok(Parsed::Hcl(body)),
        Err(error) => Err(syntax_error(
            src.file,
            src.file_text,
            src.map.map(error.location().offset()),
            format!("invalid HCL: {}", error.message()),
        )),
    }
}

/// A document found, before the links between resources are resolved.
struct Found {
    address: String,
    attribute: Option<String>,
    file: FileId,
    kind: PolicyKind,
    value: Value,
    attachments: Vec<Attachment>,
    notes: Vec<String>,
    /// Resources whose attachments apply: the carrier, or every user of a data source.
    owners: Vec<String>,
    /// Whether a use has decided the kind of a data source.
    kinded: bool,
    /// Whether it belongs in the run's checked documents: always, unless the run reads a child
    /// module, where only a document that reads a caller's input does (the others are the
    /// same as when the child is checked on its own, and only join the caller's graph).
    from_input: bool,
}

/// A carrier whose value is `data.aws_iam_policy_document.x.json`.
struct Use {
    data: String,
    /// `aws_iam_policy.p.policy`
    user: String,
    owner: String,
    kind: PolicyKind,
    attachments: Vec<Attachment>,
    notes: Vec<String>,
}

/// What the documents found at one attribute or module argument receive.
struct Received {
    kind: PolicyKind,
    attachments: Vec<Attachment>,
    notes: Vec<String>,
}

struct Run<'m, 'a> {
    lowerer: Lowerer<'m, 'a>,
    found: Vec<Found>,
    uses: Vec<Use>,
    links: Links,
    external: Vec<(FileId, FileId)>,
    /// Analysing a child module with its caller's inputs: only documents that read an input
    /// are checked (the others are the same as when the child is checked on its own).
    child: bool,
    /// Documents of local child modules, analysed with the inputs of their callers.
    called: Vec<PolicyDocument>,
    /// What the access graph needs besides documents, a child's under its call.
    inventory: Inventory,
    /// Read as a child: the caller's customer managed policies it attaches.
    callers_policies: Vec<(String, Attachment, bool)>,
}

/// Top-level blocks lowered together on one of the pool's threads, in a module large enough
/// to have been parsed on several: a fixed count, so that the parts (and anything that could
/// depend on them) are the same at any thread count.
const BLOCKS_PER_PART: usize = 256;

/// Whether a module's text may call `file()` or `templatefile()` (or holds the words in a
/// comment or string): lowering such a module reads files, which is left to one thread, in
/// the order of its blocks.
fn reads_files(files: &[(FileId, Arc<SourceFile>)]) -> bool {
    files
        .iter()
        .any(|(_, source)| memchr::memmem::find(source.text().as_bytes(), b"file(").is_some())
}

impl<'m, 'a> Run<'m, 'a> {
    fn new(lowerer: Lowerer<'m, 'a>, child: bool) -> Self {
        Run {
            lowerer,
            found: Vec::new(),
            uses: Vec::new(),
            links: Links::default(),
            external: Vec::new(),
            child,
            called: Vec::new(),
            inventory: Inventory::default(),
            callers_policies: Vec::new(),
        }
    }

    /// A run of a part of a module's blocks, after its module calls: it reads no files.
    fn part(
        module: &'m Module<'a>,
        module_outputs: HashMap<String, HashMap<String, Value>>,
    ) -> Self {
        let mut lowerer = Lowerer::new(module, &NoFiles);
        lowerer.module_outputs = module_outputs;
        Run::new(lowerer, false)
    }
}

impl<'a> Run<'_, 'a> {
    /// One top-level block, after the module calls. Each starts with a whole budget of
    /// references, so that what it lowers does not depend on the blocks before it.
    fn block(&mut self, block: &'a Block<'a>) {
        self.lowerer.reset_budget();
        match (block.ident, block.labels.as_slice()) {
            _ if self.lowerer.creates_nothing(block) => {}
            ("resource", [kind, name]) => self.resource(block, kind, name),
            ("data", ["aws_iam_policy_document", name]) => self.data_document(block, name),
            _ => {}
        }
    }

    /// [`Run::block`] of every block, in parts on the pool's threads, each part's results
    /// appended in order: the same as one block after another, since a block's lowering
    /// reads only the module (and, here, no file). Lowering a module of a few megabytes on
    /// one thread took a fifth of its run, with the other threads idle.
    fn lower_in_parts(&mut self, blocks: &'a [Block<'a>]) {
        let module = self.lowerer.module;
        let module_outputs = &self.lowerer.module_outputs;
        let parts: Vec<_> = blocks
            .par_chunks(BLOCKS_PER_PART)
            .map(|part| {
                let mut run = Run::part(module, module_outputs.clone());
                for block in part {
                    run.block(block);
                }
                (
                    run.found,
                    run.uses,
                    run.links,
                    run.inventory,
                    run.callers_policies,
                    run.lowerer.diagnostics,
                )
            })
            .collect();
        for (found, uses, links, inventory, callers_policies, diagnostics) in parts {
            self.found.extend(found);
            self.uses.extend(uses);
            self.links.append(links);
            self.inventory.extend(inventory);
            self.callers_policies.extend(callers_policies);
            self.lowerer.diagnostics.extend(diagnostics);
        }
    }

    /// Whether a document just lowered belongs in this run's checked documents.
    fn reads_input(&mut self) -> bool {
        let used = self.lowerer.take_input_used();
        !self.child || used
    }

    fn claim_external(&mut self, owner: FileId) {
        for file in self.lowerer.external.drain(..) {
            self.external.push((file, owner));
        }
    }

    /// One `resource` block: the documents its carriers hold, and the links it makes between
    /// principals and policies.
    fn resource(&mut self, block: &'a Block<'a>, kind: &str, name: &str) {
        let address = format!("{kind}.{name}");
        let own = carrier::principal_kind(PRINCIPALS, kind);
        self.carriers(block, kind, &address, own);
        if let Some(principal_kind) = own {
            self.principal_policies(block, &address, principal_kind);
        }
        self.policy_attachments(block, kind);
        if kind == "aws_iam_instance_profile" {
            self.instance_profile(block, &address);
        }
        self.group_memberships(block, kind);
        self.profile_users(block, kind, &address);
        self.inventory(block, kind, &address, own);
    }

    /// What the access graph needs of a resource: a principal or customer managed policy it
    /// declares, the role a resource runs as.
    fn inventory(
        &mut self,
        block: &'a Block<'a>,
        kind: &str,
        address: &str,
        own: Option<PrincipalKind>,
    ) {
        let literal = |run: &mut Self, attribute: &str| {
            run.lowerer.reset_budget();
            match run.lowerer.attr_value(block, attribute).map(|v| v.kind) {
                Some(ValueKind::String(name)) => Some(name),
                _ => None,
            }
        };
        let declared = |kind, name| Declared {
            kind,
            address: address.to_string(),
            name,
            span: block.header,
        };
        if let Some(principal_kind) = own {
            let name = literal(self, "name");
            self.inventory
                .principals
                .push(declared(principal_kind, name));
        }
        if kind == "aws_iam_policy" {
            let name = literal(self, "name");
            // A policy is no principal; the kind is unused for it.
            self.inventory
                .policies
                .push(declared(PrincipalKind::Role, name));
        }
        for (_, data_kind, attribute) in DATA_TARGETS.iter().filter(|(t, ..)| *t == kind) {
            let name = attribute.and_then(|attribute| literal(self, attribute));
            self.inventory.targets.push(DataTarget {
                kind: *data_kind,
                address: address.to_string(),
                name,
                span: block.header,
            });
        }
        for (_, path, service, via_profile) in RUNNERS.iter().filter(|(t, ..)| *t == kind) {
            let attr = match path.split_once('.') {
                Some((nested, attribute)) => {
                    block.nested(nested).find_map(|(b, _)| b.attr(attribute))
                }
                None => block.attr(path),
            };
            let target = if *via_profile {
                "aws_iam_instance_profile"
            } else {
                "aws_iam_role"
            };
            let Some(attr) = attr else { continue };
            let Some((role, span)) = self.lowerer.principal(attr.value, attr.name_span, target)
            else {
                continue;
            };
            let name = RUNNER_NAMES
                .iter()
                .find(|(t, _)| *t == kind)
                .and_then(|(_, attribute)| literal(self, attribute));
            self.inventory.runners.push(Runner {
                resource_type: kind.to_string(),
                address: address.to_string(),
                name,
                service,
                role,
                via_profile: *via_profile,
                span,
            });
        }
    }

    /// The documents the carrier attributes of a resource hold, attached to the principal the
    /// resource declares (`own`) or to those its grants name.
    fn carriers(
        &mut self,
        block: &'a Block<'a>,
        kind: &str,
        address: &str,
        own: Option<PrincipalKind>,
    ) {
        let notes = repetition_notes(block);
        let grants = self.grants(block, kind);
        for carrier in carriers_of(CARRIERS, kind) {
            let Some(policy_kind) = carrier
                .holds
                .kind(kind, || self.organizations_kind(block, kind))
            else {
                continue;
            };
            let own = own.map(|principal_kind| Attachment {
                principal_kind,
                principal: address.to_string(),
                span: Some(block.header),
            });
            let attachments = receivers(&policy_kind, own, || grants.clone());
            let received = Received {
                kind: policy_kind,
                attachments,
                notes: notes.clone(),
            };
            for attr in carrier_attributes(block, carrier.path) {
                self.carrier_value(block, address, carrier.path, attr, &received);
            }
        }
    }

    /// The principals an inline identity policy resource (`aws_iam_role_policy`) names.
    fn grants(&mut self, block: &'a Block<'a>, kind: &str) -> Vec<Attachment> {
        let mut grants = Vec::new();
        for grant in grants_of(GRANTS, kind) {
            if let Some(attr) = block.attr(grant.attribute)
                && let Some((principal, span)) = self.lowerer.principal(
                    attr.value,
                    attr.name_span,
                    resource_type_of(grant.principal_kind),
                )
            {
                grants.push(Attachment {
                    principal_kind: grant.principal_kind,
                    principal,
                    span: Some(span),
                });
            }
        }
        grants
    }

    /// Lowers and records the document one carrier attribute holds, unless this run leaves it
    /// out.
    fn carrier_value(
        &mut self,
        block: &'a Block<'a>,
        address: &str,
        attribute: &str,
        attr: &'a Attr<'a>,
        received: &Received,
    ) {
        self.lowerer.reset_budget();
        self.lowerer.take_input_used();
        let doc = self.lowerer.document(attr.value, attr.name_span);
        // A data source decides for itself whether it read an input.
        let from_input = self.reads_input();
        self.record(block, address, attribute, doc, received, from_input);
    }

    /// Records a document found at `address.attribute`: a value, or a use of a data source
    /// resolved at the end.
    fn record(
        &mut self,
        block: &'a Block<'a>,
        address: &str,
        attribute: &str,
        doc: Doc,
        received: &Received,
        from_input: bool,
    ) {
        match doc {
            Doc::Value(value) => self.found.push(Found {
                address: address.to_string(),
                attribute: Some(attribute.to_string()),
                file: block.file,
                kind: received.kind.clone(),
                value,
                attachments: received.attachments.clone(),
                notes: received.notes.clone(),
                owners: vec![address.to_string()],
                kinded: true,
                from_input,
            }),
            Doc::DataSource(data) => self.uses.push(Use {
                data,
                user: format!("{address}.{attribute}"),
                owner: address.to_string(),
                kind: received.kind.clone(),
                attachments: received.attachments.clone(),
                notes: received.notes.clone(),
            }),
            Doc::Nothing => {}
        }
        self.claim_external(block.file);
    }

    /// `aws_iam_*_policy_attachment`: the managed policy `policy_arn` attached to principals.
    fn policy_attachments(&mut self, block: &'a Block<'a>, kind: &str) {
        for grant in grants_of(ATTACHMENTS, kind) {
            let (Some(attr), Some(policy)) =
                (block.attr(grant.attribute), block.attr("policy_arn"))
            else {
                continue;
            };
            let policy = self.lowerer.value(policy.value, policy.name_span);
            let principals = self.lowerer.principals(
                attr.value,
                attr.name_span,
                resource_type_of(grant.principal_kind),
            );
            for (principal, span) in principals {
                self.attach(&policy, principal, grant.principal_kind, span, false);
            }
        }
    }

    /// An instance profile receives every identity policy of its role.
    fn instance_profile(&mut self, block: &'a Block<'a>, address: &str) {
        if let Some(attr) = block.attr("role")
            && let Some((role, span)) =
                self.lowerer
                    .principal(attr.value, attr.name_span, "aws_iam_role")
        {
            self.inventory
                .profiles
                .push((address.to_string(), role.clone()));
            self.links.heir(
                PrincipalKind::Role,
                role,
                Attachment {
                    principal_kind: PrincipalKind::InstanceProfile,
                    principal: address.to_string(),
                    span: Some(span),
                },
            );
        }
    }

    /// Users put in groups receive every identity policy of the groups.
    fn group_memberships(&mut self, block: &'a Block<'a>, kind: &str) {
        for (_, group_attribute, users_attribute) in
            GROUP_MEMBERSHIPS.iter().filter(|(t, _, _)| *t == kind)
        {
            let (Some(group), Some(users)) =
                (block.attr(group_attribute), block.attr(users_attribute))
            else {
                continue;
            };
            let groups = self
                .lowerer
                .principals(group.value, group.name_span, "aws_iam_group");
            let users = self
                .lowerer
                .principals(users.value, users.name_span, "aws_iam_user");
            for (group, _) in &groups {
                for (user, span) in &users {
                    self.links.heir(
                        PrincipalKind::Group,
                        group.clone(),
                        Attachment {
                            principal_kind: PrincipalKind::User,
                            principal: user.clone(),
                            span: Some(*span),
                        },
                    );
                }
            }
        }
    }

    /// A resource running with an instance profile: a note on the profile's documents.
    fn profile_users(&mut self, block: &'a Block<'a>, kind: &str, address: &str) {
        for (_, path) in PROFILE_USERS.iter().filter(|(t, _)| *t == kind) {
            let attr = match path.split_once('.') {
                Some((nested, attribute)) => {
                    block.nested(nested).find_map(|(b, _)| b.attr(attribute))
                }
                None => block.attr(path),
            };
            if let Some(attr) = attr
                && let Some((profile, _)) =
                    self.lowerer
                        .principal(attr.value, attr.name_span, "aws_iam_instance_profile")
            {
                self.links.note(
                    profile.clone(),
                    format!("`{profile}` is used by `{address}`"),
                );
            }
        }
    }

    /// [`organizations_kind`] of the block's `type`.
    fn organizations_kind(&mut self, block: &'a Block<'a>, kind: &str) -> Option<PolicyKind> {
        let written = self.lowerer.attr_value(block, "type").map(|v| v.kind);
        organizations_kind(written.as_ref(), kind)
    }

    /// `managed_policy_arns` and `permissions_boundary` of a role, user or group.
    fn principal_policies(&mut self, block: &'a Block<'a>, address: &str, kind: PrincipalKind) {
        if let Some(attr) = block.attr("managed_policy_arns") {
            let items = self.lowerer.list_items(attr.value).unwrap_or_default();
            for item in items {
                let policy = self.lowerer.value(item, attr.name_span);
                let span = policy.span;
                self.attach(&policy, address.to_string(), kind, span, false);
            }
        }
        if let Some(attr) = block.attr("permissions_boundary") {
            let policy = self.lowerer.value(attr.value, attr.name_span);
            let span = policy.span;
            self.attach(&policy, address.to_string(), kind, span, true);
        }
    }

    /// Links a managed policy of the module to a principal, or notes the policy by ARN.
    fn attach(
        &mut self,
        policy: &Value,
        principal: String,
        principal_kind: PrincipalKind,
        span: Span,
        boundary: bool,
    ) {
        let in_module = match &policy.kind {
            ValueKind::Unknown(Unknown {
                reference: Some(reference),
                ..
            }) if reference.resource_type == "aws_iam_policy" => Some(reference.address.clone()),
            ValueKind::String(name) => self
                .lowerer
                .module
                .names
                .get(&("aws_iam_policy".to_string(), name.clone()))
                .cloned(),
            _ => None,
        };
        match in_module {
            Some(address) if is_callers(&address) => self.callers_policies.push((
                address,
                Attachment {
                    principal_kind,
                    principal,
                    span: Some(span),
                },
                boundary,
            )),
            Some(address) => self.links.policy(
                address,
                Attachment {
                    principal_kind,
                    principal,
                    span: Some(span),
                },
                boundary,
            ),
            None => {
                let written = match policy.to_json() {
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                };
                self.links.undeclared_policy(
                    principal_kind,
                    principal,
                    Some(policy),
                    &written,
                    boundary,
                );
            }
        }
    }

    /// Policies passed to a module (`module "p" { policy = <<EOF ... }`, as the
    /// terraform-aws-modules family takes them): an argument named like a policy whose value
    /// is a document with `Statement`. What the module does with it is not followed, so the
    /// kind is unknown.
    fn module_call(&mut self, block: &'a Block<'a>, name: &str) {
        let address = format!("module.{name}");
        let received = Received {
            kind: PolicyKind::Unknown,
            attachments: Vec::new(),
            notes: repetition_notes(block),
        };
        for attr in &block.attrs {
            let argument = attr.name;
            if !argument.contains("policy")
                || argument.ends_with("_arn")
                || argument.ends_with("_arns")
            {
                continue;
            }
            self.lowerer.reset_budget();
            let doc = match self.lowerer.document(attr.value, attr.name_span) {
                Doc::Value(value) if value.get("Statement").is_none() => Doc::Nothing,
                doc => doc,
            };
            self.record(block, &address, argument, doc, &received, true);
        }
        self.call_local_module(block, &address);
    }

    /// A child module in this repository (`source = "./modules/x"`), analysed again with the
    /// values this call gives its variables; its documents are named `module.x.<address>`.
    fn call_local_module(&mut self, block: &'a Block<'a>, address: &str) {
        let Some((source, source_span)) = block
            .attr("source")
            .map(|attr| self.lowerer.value(attr.value, attr.name_span))
            .and_then(|v| Some((v.as_str()?.to_string(), v.span)))
        else {
            return;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            return;
        }
        let dir = self.lowerer.module.dir.join(&source);
        let mut values = HashMap::new();
        for attr in &block.attrs {
            if !META_ARGUMENTS.contains(&attr.name) {
                self.lowerer.reset_budget();
                let mut value = self.lowerer.value(attr.value, attr.name_span);
                mark_callers(&mut value);
                values.insert(attr.name.to_string(), value);
            }
        }
        let listed = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir.as_path()
        };
        let paths = match self.lowerer.read.module_files(listed) {
            Ok(paths) => paths,
            Err(unread) => {
                self.lowerer.report_unread(&unread, &source, source_span);
                return;
            }
        };
        let files: Vec<(FileId, Arc<SourceFile>)> = paths
            .iter()
            .filter_map(|path| self.lowerer.load(path).ok())
            .collect();
        self.claim_external(block.file);
        if files.is_empty() {
            return;
        }
        let inputs = Inputs { values };
        let child = extract_with(&dir, &files, self.lowerer.read, Some(inputs));
        for (file, _) in child.external {
            self.external.push((file, block.file));
        }
        let call = Call { address };
        let checked = child.extraction.documents.into_iter().map(|d| (d, false));
        for (mut document, graph_only) in
            checked.chain(child.context.into_iter().map(|d| (d, true)))
        {
            call.document(&mut document);
            document
                .origin
                .notes
                .insert(0, format!("analysed with the inputs of `{address}`"));
            document.origin.caller = Some(Caller {
                span: block.header,
                address: address.to_string(),
                graph_only,
            });
            self.called.push(document);
        }
        let mut inventory = child.extraction.inventory;
        call.inventory(&mut inventory);
        // The caller's run records the AWS managed policies its links hold.
        for managed in inventory.managed.drain(..) {
            self.links.managed(managed);
        }
        inventory
            .called_files
            .extend(files.iter().map(|(file, _)| (*file, block.file)));
        self.inventory.extend(inventory);
        for (policy, mut attachment, boundary) in child.callers_policies {
            attachment.principal = call.address(&attachment.principal);
            self.links
                .policy(call.address(&policy), attachment, boundary);
        }
        let mut outputs = child.outputs;
        for value in outputs.values_mut() {
            call.value(value);
        }
        let name = address.strip_prefix("module.").unwrap_or(address);
        self.lowerer
            .module_outputs
            .insert(name.to_string(), outputs);
    }

    fn data_document(&mut self, block: &'a Block<'a>, name: &str) {
        let address = format!("data.aws_iam_policy_document.{name}");
        let mut stack = vec![address.clone()];
        self.lowerer.reset_budget();
        self.lowerer.take_input_used();
        let mut data = self.lowerer.policy_document(block, &mut stack);
        let from_input = self.reads_input();
        data.notes.splice(0..0, repetition_notes(block));
        self.claim_external(block.file);
        self.found.push(Found {
            address,
            attribute: None,
            file: block.file,
            kind: PolicyKind::Unknown,
            value: data.value,
            attachments: Vec::new(),
            notes: data.notes,
            owners: Vec::new(),
            kinded: false,
            from_input,
        });
    }

    /// Resolves data source uses and the links between resources, and builds the documents.
    fn finish(self, mut diagnostics: Vec<Problem>) -> ModuleExtraction {
        let Run {
            lowerer,
            mut found,
            uses,
            links,
            external,
            called,
            mut inventory,
            callers_policies,
            ..
        } = self;
        inventory.managed = links.managed_attachments().to_vec();
        diagnostics.extend(lowerer.diagnostics);
        let index: HashMap<String, usize> = found
            .iter()
            .enumerate()
            .filter(|(_, f)| f.attribute.is_none())
            .map(|(i, f)| (f.address.clone(), i))
            .collect();
        for used in uses {
            let Some(&i) = index.get(&used.data) else {
                continue;
            };
            let target = &mut found[i];
            // A use whose kind is not known (an argument of a module) says nothing either way.
            if used.kind == PolicyKind::Unknown {
            } else if !target.kinded {
                target.kind = used.kind.clone();
                target.kinded = true;
            } else if target.kind != used.kind && target.kind != PolicyKind::Unknown {
                target.kind = PolicyKind::Unknown;
                target
                    .notes
                    .push("used as more than one kind of policy".into());
            }
            target.notes.push(format!("used by `{}`", used.user));
            for note in used.notes {
                let note = format!("`{}`: {note}", used.owner);
                if !target.notes.contains(&note) {
                    target.notes.push(note);
                }
            }
            for attachment in used.attachments {
                if !target.attachments.contains(&attachment) {
                    target.attachments.push(attachment);
                }
            }
            if !target.owners.contains(&used.owner) {
                target.owners.push(used.owner);
            }
        }
        let resolver = links.resolver(true);
        let mut documents: Vec<PolicyDocument> = Vec::new();
        let mut context: Vec<PolicyDocument> = Vec::new();
        for found in found {
            let from_input = found.from_input;
            let document = {
                let origin = Origin {
                    file: found.file,
                    address: Some(found.address),
                    attribute: found.attribute,
                    notes: found.notes,
                    caller: None,
                };
                resolver.document(
                    origin,
                    found.kind,
                    found.value,
                    found.attachments,
                    &found.owners,
                )
            };
            if from_input {
                documents.push(document);
            } else {
                context.push(document);
            }
        }
        documents.sort_by_key(|d| (d.origin.file, d.value.span.file, d.value.span.start));
        documents.extend(called);
        diagnostics.sort_by_key(|d| (d.primary.file, d.primary.start, d.primary.end));
        ModuleExtraction {
            extraction: Extraction {
                documents,
                diagnostics,
                inventory,
                ..Extraction::default()
            },
            external,
            context,
            outputs: HashMap::new(),
            callers_policies,
        }
    }
}

/// The kind of an `aws_organizations_policy` from its `type` as written (a service control
/// policy when it is not set); `None` for the kinds that are not IAM.
fn organizations_kind(written: Option<&ValueKind>, kind: &str) -> Option<PolicyKind> {
    match written {
        None => Some(PolicyKind::ServiceControl),
        Some(ValueKind::String(t)) if t == "SERVICE_CONTROL_POLICY" => {
            Some(PolicyKind::ServiceControl)
        }
        Some(ValueKind::String(t)) if t == "RESOURCE_CONTROL_POLICY" => {
            Some(PolicyKind::Resource {
                resource_type: kind.to_string(),
            })
        }
        // Tag, backup, AI opt-out and declarative policies are not IAM.
        Some(ValueKind::String(_)) => None,
        Some(_) => Some(PolicyKind::Unknown),
    }
}

/// What a reader should know about a block with `count` or `for_each`: it is analysed once.
fn repetition_notes(block: &Block<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    if block.attr("count").is_some() {
        notes.push("`count` is set: analysed once for every instance".to_string());
    }
    if block.attr("for_each").is_some() {
        notes.push(
            "`for_each` is set: analysed once for every instance, `each` values unknown"
                .to_string(),
        );
    }
    notes
}

/// The attributes a carrier names in a block: `attribute`, or `block.attribute` in every
/// nested block of that type.
fn carrier_attributes<'a>(block: &'a Block<'a>, path: &'static str) -> Vec<&'a Attr<'a>> {
    match path.split_once('.') {
        Some((nested, attribute)) => block
            .nested(nested)
            .filter_map(|(b, _)| b.attr(attribute))
            .collect(),
        None => block.attr(path).into_iter().collect(),
    }
}

/// The Terraform type of a principal.
fn resource_type_of(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Role => "aws_iam_role",
        PrincipalKind::User => "aws_iam_user",
        PrincipalKind::Group => "aws_iam_group",
        PrincipalKind::InstanceProfile => "aws_iam_instance_profile",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::is_terraform;
    use std::path::PathBuf;

    fn extract(files: &[(&str, &str)]) -> ModuleExtraction {
        let sources: Vec<(FileId, Arc<SourceFile>)> = files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                (
                    FileId(i as u32),
                    Arc::new(SourceFile::new(PathBuf::from(name), text.to_string())),
                )
            })
            .collect();
        extract_module(Path::new(""), &sources, &NoFiles)
    }

    /// A `.tf` file large enough to be parsed in pieces: role policies, with a BOM so that
    /// offsets are shifted.
    fn large_module(blocks: usize) -> String {
        let statement =
            "      { Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\" },\n";
        let mut text = String::from("\u{feff}");
        for i in 0..blocks {
            text.push_str(&format!(
                "resource \"aws_iam_role_policy\" \"p{i}\" {{\n  role = \"r\"\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n{}    ]\n  }})\n}}\n\n",
                statement.repeat(8)
            ));
        }
        text
    }

    fn parse_whole_and_in_pieces(
        text: &str,
    ) -> (Vec<Problem>, Vec<Problem>, Vec<String>, Vec<String>) {
        let source = Arc::new(SourceFile::new(PathBuf::from("main.tf"), text.to_string()));
        let files = [(FileId(0), source.clone())];
        let mut in_pieces = Vec::new();
        let pieces = ParsedFiles::parse(&files, &mut in_pieces);
        let mut whole_problems = Vec::new();
        let whole = Src::of_file(FileId(0), &source);
        let whole = match parse(&whole, source.path()) {
            Ok(parsed) => ParsedFiles {
                parsed: vec![(whole, parsed)],
                in_parallel: false,
            },
            Err(problem) => {
                whole_problems.push(problem);
                ParsedFiles {
                    parsed: Vec::new(),
                    in_parallel: false,
                }
            }
        };
        let spans = |parsed: &ParsedFiles<'_>| -> Vec<String> {
            parsed
                .blocks()
                .iter()
                .map(|b| {
                    format!(
                        "{:?} {:?}",
                        b.header,
                        b.attrs.iter().map(|a| a.name_span).collect::<Vec<_>>()
                    )
                })
                .collect()
        };
        (in_pieces, whole_problems, spans(&pieces), spans(&whole))
    }

    #[test]
    fn a_large_file_parsed_in_pieces_has_the_blocks_and_spans_of_its_whole_parse() {
        let text = large_module(1_000);
        assert!(pieces::pieces(&text[3..]).len() > 1);
        let (problems, _, in_pieces, whole) = parse_whole_and_in_pieces(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(in_pieces.len(), 1_000);
        assert_eq!(in_pieces, whole);
    }

    #[test]
    fn a_syntax_error_in_a_large_file_is_reported_where_its_whole_parse_finds_it() {
        let text = large_module(1_000).replacen("role = \"r\"", "role = = \"r\"", 600);
        let (in_pieces, whole, blocks, _) = parse_whole_and_in_pieces(&text);
        assert_eq!(in_pieces.len(), 1);
        assert_eq!(format!("{in_pieces:?}"), format!("{whole:?}"));
        assert!(blocks.is_empty());
    }

    /// A module of `count` roles, each with an instance profile, a policy document and an
    /// inline policy granting it to another role far away in the file, and a managed policy
    /// attached to a group its role's user joins: links that cross the parts lowered apart.
    fn linked_module(count: usize) -> String {
        let mut text = String::new();
        for i in 0..count {
            let other = (i + count / 2) % count;
            text.push_str(&format!(
                r#"resource "aws_iam_role" "r{i}" {{
  name               = "role-{i}"
  assume_role_policy = jsonencode({{ Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ec2.amazonaws.com" }} }}] }})
}}

resource "aws_iam_instance_profile" "p{i}" {{
  role = aws_iam_role.r{i}.name
}}

data "aws_iam_policy_document" "d{i}" {{
  statement {{
    actions   = ["s3:GetObject", "iam:PassRole"]
    resources = ["arn:aws:s3:::bucket-{i}/*", aws_iam_role.r{other}.arn]
  }}
}}

resource "aws_iam_role_policy" "rp{i}" {{
  role   = aws_iam_role.r{other}.id
  policy = data.aws_iam_policy_document.d{i}.json
}}

resource "aws_iam_policy" "m{i}" {{
  policy = data.aws_iam_policy_document.d{other}.json
}}

resource "aws_iam_group_policy_attachment" "g{i}" {{
  group      = aws_iam_group.g{other}.name
  policy_arn = aws_iam_policy.m{i}.arn
}}

resource "aws_iam_group" "g{i}" {{
  name = "group-{i}"
}}

resource "aws_iam_user_group_membership" "u{i}" {{
  user   = aws_iam_user.u{i}.name
  groups = [aws_iam_group.g{other}.name]
}}

resource "aws_iam_user" "u{i}" {{
  name = "user-{i}"
}}

"#
            ));
        }
        text
    }

    /// A large module lowered in parts on the pool's threads gives what it gives lowered
    /// block after block (which a module that may read files is).
    #[test]
    fn a_large_module_lowered_in_parts_is_lowered_as_block_after_block() {
        let text = linked_module(300);
        assert!(text.len() >= pieces::PARALLEL_FROM);
        assert!(!text.contains("file("));
        let in_order = format!("{text}# no file() is read\n");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let in_parts = pool.install(|| extract(&[("main.tf", text.as_str())]));
        let one_by_one = pool.install(|| extract(&[("main.tf", in_order.as_str())]));
        assert_eq!(in_parts.extraction.documents.len(), 600);
        assert_eq!(
            format!("{:?}", in_parts.extraction),
            format!("{:?}", one_by_one.extraction)
        );
    }

    fn only_policy(files: &[(&str, &str)]) -> serde_json::Value {
        let extracted = extract(files);
        assert!(extracted.extraction.diagnostics.is_empty());
        assert_eq!(extracted.extraction.documents.len(), 1);
        extracted.extraction.documents[0].value.to_json()
    }

    #[test]
    fn terraform_files_by_name() {
        assert!(is_terraform(Path::new("a/main.tf")));
        assert!(is_terraform(Path::new("main.tf.json")));
        assert!(!is_terraform(Path::new("policy.json")));
        assert!(!is_terraform(Path::new("tf")));
    }

    #[test]
    fn quoted_strings_decode_escapes_and_dollar_dollar() {
        let policy = only_policy(&[(
            "main.tf",
            r#"resource "aws_iam_policy" "p" {
  policy = "{\"Statement\": [{\"Resource\": \"arn:aws:s3:::b/$${aws:username}/\u00e9\"}]}"
}"#,
        )]);
        assert_eq!(
            policy["Statement"][0]["Resource"],
            "arn:aws:s3:::b/${aws:username}/é"
        );
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let extracted = extract(&[(
            "main.tf",
            r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Action = var.actions, Resource = [for b in var.b : b], Effect = var.ok ? "Allow" : "Deny" }] })
}"#,
        )]);
        let value = &extracted.extraction.documents[0].value;
        let statement = &value.get("Statement").unwrap().as_array().unwrap()[0];
        for key in ["Action", "Resource", "Effect"] {
            assert!(
                matches!(statement.get(key).unwrap().kind, ValueKind::Unknown(_)),
                "{key}"
            );
        }
    }

    #[test]
    fn overrides_replace_statements_by_sid() {
        let extracted = extract(&[(
            "main.tf",
            r#"data "aws_iam_policy_document" "a" {
  statement {
    sid     = "A"
    actions = ["s3:GetObject"]
  }
  statement {
    actions = ["s3:ListBucket"]
  }
}
data "aws_iam_policy_document" "b" {
  source_policy_documents   = [data.aws_iam_policy_document.a.json]
  override_policy_documents = [jsonencode({ Statement = [{ Sid = "A", Effect = "Deny", Action = "s3:*" }, { Sid = "C", Effect = "Allow", Action = "sqs:*" }] })]
  statement {
    sid     = "B"
    actions = ["sns:Publish"]
  }
}"#,
        )]);
        let b = extracted.extraction.documents[1].value.to_json();
        let sids: Vec<_> = b["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap_or("-").to_string())
            .collect();
        assert_eq!(sids, ["A", "-", "B", "C"]);
        assert_eq!(b["Statement"][0]["Effect"], "Deny");
    }

    #[test]
    fn a_cycle_of_documents_ends() {
        let extracted = extract(&[(
            "main.tf",
            r#"data "aws_iam_policy_document" "a" {
  source_policy_documents = [data.aws_iam_policy_document.b.json]
}
data "aws_iam_policy_document" "b" {
  source_policy_documents = [data.aws_iam_policy_document.a.json]
}"#,
        )]);
        assert_eq!(extracted.extraction.documents.len(), 2);
    }
}
