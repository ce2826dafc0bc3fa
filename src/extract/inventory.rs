//! What the access graph needs of an input besides its documents: the principals and customer
//! managed policies it declares (even those with no policy of their own), every AWS managed
//! policy attached by ARN, instance profiles and their roles, and the resources that run as a
//! role (a Lambda function, an instance through its profile), and the data targets a chain may
//! reach (buckets, secrets, parameters, keys). Recorded by the Terraform and
//! CloudFormation extractors while they read; the graph is built from it in
//! `rules::graph`.

use crate::base::source::{FileId, Span};
use crate::extract::document::{ManagedAttachment, PrincipalKind};

#[derive(Clone, Debug, Default)]
pub struct Inventory {
    /// Roles, users and groups the code declares, and the roles SAM creates for functions and
    /// state machines without `Role` (`<LogicalId>Role`).
    pub principals: Vec<Declared>,
    /// Customer managed policies the code declares (`aws_iam_policy`, `AWS::IAM::ManagedPolicy`).
    pub policies: Vec<Declared>,
    /// AWS managed policies attached by ARN, whether or not the principal has a document.
    pub managed: Vec<ManagedAttachment>,
    /// (instance profile, its role), by address or logical id.
    pub profiles: Vec<(String, String)>,
    /// Resources that run as a role (a SAM function as the `AWS::Lambda::Function` it deploys).
    pub runners: Vec<Runner>,
    /// Data stores the code declares, which a principal reached by a chain may read.
    pub targets: Vec<DataTarget>,
    /// The files of local child modules read through a module call, each with the calling
    /// file: what a child declares is recorded under the call (`module.x.aws_iam_role.y`),
    /// whose addresses mean something in the caller's module, not in the child's directory.
    pub called_files: Vec<(FileId, FileId)>,
}

/// What kind of data a target holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataKind {
    Bucket,
    Secret,
    Parameter,
    Key,
}

impl DataKind {
    /// How a message names the kind: `secret`.
    pub fn label(self) -> &'static str {
        match self {
            DataKind::Bucket => "bucket",
            DataKind::Secret => "secret",
            DataKind::Parameter => "parameter",
            DataKind::Key => "key",
        }
    }
}

/// A data store the code declares (`aws_s3_bucket`, `AWS::SecretsManager::Secret`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataTarget {
    pub kind: DataKind,
    pub address: String,
    /// The literal name (`bucket`, `Name`), as an ARN names it; `None` when generated.
    pub name: Option<String>,
    /// The resource's header.
    pub span: Span,
}

/// A resource the code declares, by address or logical id, with its name when written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    pub kind: PrincipalKind,
    pub address: String,
    /// The literal name (`name`, `RoleName`); `None` when generated or only known at deploy
    /// time.
    pub name: Option<String>,
    /// The resource's header, where a finding about it points.
    pub span: Span,
}

/// A resource that runs as a role, which a service assumes for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Runner {
    pub resource_type: String,
    pub address: String,
    /// The literal name, as a statement's resource ARN would name it.
    pub name: Option<String>,
    /// The service principal that assumes the role (`lambda.amazonaws.com`).
    pub service: &'static str,
    /// The role, or the instance profile (`via_profile`), it runs as: address or logical id.
    pub role: String,
    pub via_profile: bool,
    /// Where the role is named.
    pub span: Span,
}

impl Inventory {
    pub fn is_empty(&self) -> bool {
        self.principals.is_empty() && self.managed.is_empty() && self.runners.is_empty()
    }

    pub fn extend(&mut self, other: Inventory) {
        self.principals.extend(other.principals);
        self.policies.extend(other.policies);
        self.managed.extend(other.managed);
        self.profiles.extend(other.profiles);
        self.runners.extend(other.runners);
        self.targets.extend(other.targets);
        self.called_files.extend(other.called_files);
    }

    /// The role an instance profile holds.
    pub fn role_of_profile(&self, profile: &str) -> Option<&str> {
        self.profiles
            .iter()
            .find(|(p, _)| p == profile)
            .map(|(_, role)| role.as_str())
    }
}
