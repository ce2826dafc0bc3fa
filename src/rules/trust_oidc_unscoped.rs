//! `trust-oidc-unscoped`: a web-identity trust that admits any repository, project or pod.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::principals::{PrincipalType, principals};

declare_rule! {
    /// ## What it does
    /// Reports a role trust policy that trusts a shared OIDC provider without pinning the
    /// subject: GitHub Actions (`token.actions.githubusercontent.com`), GitLab
    /// (`gitlab.com`), Terraform Cloud (`app.terraform.io`) and EKS service accounts
    /// (`oidc.eks.<region>.amazonaws.com/id/...`). It fires when the statement has no
    /// `<provider>:sub` condition, or when the subject pattern admits any repository, project,
    /// organisation or service account (`*`, `repo:*`, `project_path:*`,
    /// `organization:*`, `system:serviceaccount:*`). The provider is recognised from the
    /// `Federated` ARN or from the condition keys.
    ///
    /// `[trust] allowed-oidc-subjects` of `iamlint.toml` lists the subjects roles may trust
    /// (`repo:my-org/*`, `repo:my-org/deploy:ref:refs/heads/main`; `*` and `?` are wildcards).
    /// A subject a listed pattern covers is accepted, even an open one; when the list is not
    /// empty, a subject it does not cover is reported too. Subjects that are deploy-time values
    /// are not judged.
    ///
    /// ## Why is this bad?
    /// These providers sign tokens for every customer. With only an `:aud` check, any GitHub
    /// repository in the world (or any pod of the cluster) can assume the role: attackers scan
    /// for such roles.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
    ///    "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
    ///    "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
    ///    "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
    ///    "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
    ///                                   "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Configuring OpenID Connect in Amazon Web Services (GitHub)](https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    /// - [Creating a role for web identity federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)
    /// - [IAM roles for service accounts](https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html)
    pub struct TrustOidcUnscoped {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "A shared OIDC provider is trusted without pinning the subject",
    }
}

/// A shared provider: how to recognise it, what it is called, and subject patterns that
/// admit every customer.
struct Provider {
    host: &'static str,
    name: &'static str,
    open_subjects: &'static [&'static str],
}

const PROVIDERS: &[Provider] = &[
    Provider {
        host: "token.actions.githubusercontent.com",
        name: "GitHub Actions workflow",
        open_subjects: &["repo:*"],
    },
    Provider {
        host: "gitlab.com",
        name: "GitLab CI job",
        open_subjects: &["project_path:*"],
    },
    Provider {
        host: "app.terraform.io",
        name: "Terraform Cloud workspace",
        open_subjects: &["organization:*"],
    },
    Provider {
        host: "oidc.eks.",
        name: "service account of the cluster",
        open_subjects: &["system:serviceaccount:*"],
    },
];

fn provider_of(text: &str) -> Option<&'static Provider> {
    let host = text.rsplit("oidc-provider/").next().unwrap_or(text);
    PROVIDERS.iter().find(|p| host.starts_with(p.host))
}

impl Rule for TrustOidcUnscoped {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for statement in cx.trust_allows() {
            let federated = principals(statement)
                .into_iter()
                .find(|p| p.kind == PrincipalType::Federated);
            let Some(federated) = federated else {
                continue;
            };
            let from_principal = federated
                .value
                .template_text()
                .and_then(|t| provider_of(&t));
            let from_keys = statement.conditions.iter().find_map(|c| {
                let (host, _) = c.key.rsplit_once(':')?;
                provider_of(host)
            });
            let Some(provider) = from_principal.or(from_keys) else {
                continue;
            };
            let subjects: Vec<_> = statement
                .conditions
                .iter()
                .filter(|c| {
                    c.key.to_ascii_lowercase().ends_with(":sub")
                        && !c.operator.to_ascii_lowercase().contains("not")
                })
                .collect();
            if subjects.is_empty() {
                out.push(
                    Self::META
                        .finding(
                            federated.value.span,
                            format!(
                                "any {} can assume this role: no `:sub` condition",
                                provider.name
                            ),
                        )
                        .with_help("add a `StringEquals` (or `StringLike`) condition on the provider's `:sub` naming your repository, project or service account"),
                );
                continue;
            }
            let trust = &cx.settings.trust;
            for value in subjects.iter().flat_map(|c| c.values.iter()) {
                let Some(subject) = value.as_str() else {
                    continue;
                };
                if trust.is_allowed_oidc_subject(subject) {
                    continue;
                }
                let open =
                    subject.chars().all(|c| c == '*') || provider.open_subjects.contains(&subject);
                let finding = if open {
                    Self::META
                        .finding(
                            value.span,
                            format!("`{subject}` admits any {}", provider.name),
                        )
                        .with_help(
                            "name your own repository, project or service account in the pattern",
                        )
                } else if !trust.allowed_oidc_subjects.is_empty() {
                    Self::META
                        .finding(
                            value.span,
                            format!("`{subject}` is not among the `[trust] allowed-oidc-subjects` of iamlint.toml"),
                        )
                        .with_help("trust only the listed subjects, or add this one to the list")
                } else {
                    continue;
                };
                out.push(finding.with_related(federated.value.span, "trusted provider"));
            }
        }
    }
}
