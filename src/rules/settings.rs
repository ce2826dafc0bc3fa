//! What rules read from the configuration (`[trust]`, `[[forbidden-actions]]`, `[catalog]`
//! of `iamlint.toml`), given to them through their context; `crate::config` fills it in.

use crate::catalog::{ActionSet, wildcard_match};

/// Configuration that rules read through their context.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub trust: TrustSettings,
    pub forbidden_actions: Vec<ForbiddenList>,
    pub catalog: CatalogSettings,
}

/// `[catalog]`: what the user knows AWS has that the embedded catalog does not yet.
#[derive(Clone, Debug, Default)]
pub struct CatalogSettings {
    /// `service:Action` names without wildcards (`extra-actions`), which `unknown-action`,
    /// `unknown-service` and `action-pattern-matches-nothing` accept.
    pub extra_actions: Vec<String>,
}

impl CatalogSettings {
    /// Whether `name` is one of the extra actions (case does not matter, as in IAM).
    pub fn is_extra_action(&self, name: &str) -> bool {
        self.extra_actions
            .iter()
            .any(|extra| extra.eq_ignore_ascii_case(name))
    }

    /// Whether an extra action belongs to the service `prefix`, which is then known.
    pub fn is_extra_service(&self, prefix: &str) -> bool {
        self.extra_actions.iter().any(|extra| {
            extra
                .split_once(':')
                .is_some_and(|(service, _)| service.eq_ignore_ascii_case(prefix))
        })
    }

    /// Whether the action pattern (wildcards allowed) matches an extra action.
    pub fn matches_extra_action(&self, pattern: &str) -> bool {
        self.extra_actions
            .iter()
            .any(|extra| wildcard_match(pattern, extra, true))
    }
}

/// Who may be trusted without a finding, for the trust-policy rules.
#[derive(Clone, Debug, Default)]
pub struct TrustSettings {
    /// 12-digit AWS account ids outside this code base that roles may trust.
    pub allowed_accounts: Vec<String>,
    /// OIDC `sub` values (IAM wildcards `*` and `?` allowed) that roles may trust, such as
    /// `repo:my-org/deploy:ref:refs/heads/main`.
    pub allowed_oidc_subjects: Vec<String>,
}

impl TrustSettings {
    pub fn is_allowed_account(&self, account: &str) -> bool {
        self.allowed_accounts.iter().any(|a| a == account)
    }

    /// Whether every value `subject` can take is allowed: a configured pattern covers it
    /// (the subject itself may be a pattern, which must then be matched literally or by a
    /// broader configured pattern).
    pub fn is_allowed_oidc_subject(&self, subject: &str) -> bool {
        self.allowed_oidc_subjects
            .iter()
            .any(|pattern| wildcard_match(pattern, subject, false))
    }
}

/// One `[[forbidden-actions]]` list: actions no `Allow` may grant.
#[derive(Clone, Debug)]
pub struct ForbiddenList {
    /// The patterns as written (`iam:CreateAccessKey`, `kms:Delete*`).
    pub actions: Vec<String>,
    /// Why, shown with every finding.
    pub reason: Option<String>,
    /// Every catalog action the patterns cover.
    pub set: ActionSet,
}
