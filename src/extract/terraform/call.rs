//! A local child module as its caller sees it: what the child declares is named under the
//! call (`module.roles.aws_iam_role.admin`), while the caller's own resources that reach the
//! child through its variables (`trusted_arn = aws_iam_user.ci.arn`) keep their names.

use crate::base::value::{Reference, TemplatePart, Value, ValueKind};
use crate::extract::document::PolicyDocument;
use crate::extract::inventory::Inventory;

/// Marks an address of the caller inside a value it passes to a child, so the caller's
/// `aws_iam_role.this` is told apart from a child's resource of the same address when the
/// child's addresses are put under the call. No Terraform address holds this character.
const CALLERS: char = '\u{1}';

/// Marks the caller's addresses referred to in a value passed to a child.
pub(super) fn mark_callers(value: &mut Value) {
    each_reference(value, &mut |reference| {
        reference.address.insert(0, CALLERS);
    });
}

/// Whether an address met while reading a child is one of its caller's.
pub(super) fn is_callers(address: &str) -> bool {
    address.starts_with(CALLERS)
}

/// A module call (`module.roles`), which names what its child declares.
pub(super) struct Call<'c> {
    pub address: &'c str,
}

impl Call<'_> {
    /// An address met while reading the child, as the caller names it: the child's under the
    /// call, the caller's own as it wrote it, a principal known only by its name as written.
    pub(super) fn address(&self, address: &str) -> String {
        match address.strip_prefix(CALLERS) {
            Some(callers) => callers.to_string(),
            None if address.contains('.') => format!("{}.{address}", self.address),
            None => address.to_string(),
        }
    }

    /// Every reference of a value, named as the caller names it.
    pub(super) fn value(&self, value: &mut Value) {
        each_reference(value, &mut |reference| {
            reference.address = self.address(&reference.address);
        });
    }

    /// A child's document: its address, the principals it is attached to and the references
    /// it holds, as the caller names them.
    pub(super) fn document(&self, document: &mut PolicyDocument) {
        document.origin.address = document
            .origin
            .address
            .as_deref()
            .map(|inner| format!("{}.{inner}", self.address));
        for note in &mut document.origin.notes {
            note.retain(|c| c != CALLERS);
        }
        for attachment in &mut document.attachments {
            attachment.principal = self.address(&attachment.principal);
        }
        for managed in &mut document.managed {
            managed.principal = self.address(&managed.principal);
        }
        self.value(&mut document.value);
    }

    /// What the child declares, as the caller names it.
    pub(super) fn inventory(&self, inventory: &mut Inventory) {
        for declared in inventory
            .principals
            .iter_mut()
            .chain(&mut inventory.policies)
        {
            declared.address = self.address(&declared.address);
        }
        for managed in &mut inventory.managed {
            managed.principal = self.address(&managed.principal);
        }
        for (profile, role) in &mut inventory.profiles {
            *profile = self.address(profile);
            *role = self.address(role);
        }
        for runner in &mut inventory.runners {
            runner.address = self.address(&runner.address);
            runner.role = self.address(&runner.role);
        }
        for target in &mut inventory.targets {
            target.address = self.address(&target.address);
        }
    }
}

fn each_reference(value: &mut Value, f: &mut dyn FnMut(&mut Reference)) {
    match &mut value.kind {
        ValueKind::Unknown(unknown) => {
            if let Some(reference) = &mut unknown.reference {
                f(reference);
            }
        }
        ValueKind::Template(parts) => {
            for part in parts {
                if let TemplatePart::Hole(unknown) = part
                    && let Some(reference) = &mut unknown.reference
                {
                    f(reference);
                }
            }
        }
        ValueKind::Array(items) => {
            for item in items {
                each_reference(item, f);
            }
        }
        ValueKind::Object(members) => {
            for member in members {
                each_reference(&mut member.value, f);
            }
        }
        ValueKind::Null | ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::String(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_addresses_go_under_the_call_and_the_callers_keep_theirs() {
        let call = Call {
            address: "module.roles",
        };
        assert_eq!(
            call.address("aws_iam_role.admin"),
            "module.roles.aws_iam_role.admin"
        );
        assert_eq!(
            call.address(&format!("{CALLERS}aws_iam_role.admin")),
            "aws_iam_role.admin"
        );
        assert_eq!(call.address("deployer"), "deployer");
    }
}
