//! Condition blocks: operators of every family chosen by the key's type, set prefixes, `IfExists`,
//! `Null`, several values (OR), several keys (AND), several operators (AND), values drawn from
//! the world's pool for the key — equal, one step away, wildcarded, or a policy variable.
//!
//! This module builds `Condition`s of the evaluator's model; it does not decide them.

use iamspec::condition::{BaseOperator, ConditionOperator, SetOperator};
use iamspec::policy::{Condition, Span};

use crate::gen::Gen;
use crate::keys::{world_values, Key};
use crate::mutate;
use crate::settings::{Settings, Switch};
use crate::vocabulary::KeyType;
use crate::world::World;

/// The operators that read a key of this type (the family AWS intends for it).
pub fn operators_for(key_type: KeyType) -> &'static [BaseOperator] {
    use BaseOperator::*;
    match key_type {
        KeyType::String | KeyType::ArrayOfString => &[
            StringEquals,
            StringNotEquals,
            StringEqualsIgnoreCase,
            StringNotEqualsIgnoreCase,
            StringLike,
            StringNotLike,
        ],
        KeyType::Arn | KeyType::ArrayOfArn => &[
            ArnEquals,
            ArnLike,
            ArnNotEquals,
            ArnNotLike,
            StringEquals,
            StringLike,
        ],
        KeyType::Numeric => &[
            NumericEquals,
            NumericNotEquals,
            NumericLessThan,
            NumericLessThanEquals,
            NumericGreaterThan,
            NumericGreaterThanEquals,
        ],
        KeyType::Date => &[
            DateEquals,
            DateNotEquals,
            DateLessThan,
            DateLessThanEquals,
            DateGreaterThan,
            DateGreaterThanEquals,
        ],
        KeyType::Bool | KeyType::ArrayOfBool => &[Bool],
        KeyType::Ip => &[IpAddress, NotIpAddress],
        KeyType::Binary => &[BinaryEquals],
    }
}

/// Draws a Condition block over `keys` (the key templates the statement's action makes
/// relevant, filled with world tag keys when drawn).
/// Returns the conditions flattened in document order: one per operator × key, operators
/// distinct, keys distinct (ignoring case) under each operator.
pub fn generate_conditions(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    keys: &[(String, KeyType)],
    variables_enabled: bool,
) -> Vec<Condition> {
    let draw = |g: &mut Gen<'_>, (template, key_type): &(String, KeyType)| Key {
        name: crate::keys::instantiate(g, template, world),
        key_type: *key_type,
    };
    let mut out: Vec<Condition> = Vec::new();
    if keys.is_empty() {
        return out;
    }
    let operator_count = if settings.on(Switch::MultiOperatorAnd) {
        g.up_to(1, settings.max_operators.max(1))
    } else {
        1
    };
    for _ in 0..operator_count {
        // Prefer the keys of the action and its resources (`ec2:InstanceType` of an instance,
        // `aws:ResourceTag/...`) over the global keys every request may carry.
        let specific: Vec<&(String, KeyType)> =
            keys.iter().filter(|(t, _)| !is_global(t)).collect();
        let template = match g.pick_opt(&specific) {
            Some(t) if g.chance(55) => *t,
            _ => g.pick(keys),
        };
        let first_key = draw(g, template);
        let operator = choose_operator(g, settings, first_key.key_type);
        let text = operator.name();
        if out.iter().any(|c| c.operator_text == text) {
            continue;
        }
        let key_count = if settings.on(Switch::MultiKeyAnd) {
            g.up_to(1, settings.max_keys_per_operator.max(1))
        } else {
            1
        };
        let mut used: Vec<String> = Vec::new();
        for k in 0..key_count {
            // Further keys under the same operator share the first key's type family.
            let key = if k == 0 {
                first_key.clone()
            } else {
                let same: Vec<&(String, KeyType)> = keys
                    .iter()
                    .filter(|(_, t)| operators_for(*t).contains(&operator.base))
                    .collect();
                match g.pick_opt(&same) {
                    Some(x) => draw(g, x),
                    None => continue,
                }
            };
            if used.iter().any(|u| u.eq_ignore_ascii_case(&key.name)) {
                continue;
            }
            used.push(key.name.clone());
            let written_key = if settings.on(Switch::KeyCase) && g.chance(12) {
                flip_key_case(&key.name)
            } else {
                key.name.clone()
            };
            let values = generate_values(g, settings, world, &key, operator, variables_enabled);
            out.push(Condition {
                operator,
                operator_text: text.clone(),
                key: written_key,
                values,
                span: Span::default(),
            });
        }
    }
    out
}

fn choose_operator(g: &mut Gen<'_>, settings: &Settings, key_type: KeyType) -> ConditionOperator {
    if settings.on(Switch::Null) && g.chance(10) {
        return ConditionOperator {
            set: None,
            base: BaseOperator::Null,
            if_exists: false,
        };
    }
    let base = *g.pick(operators_for(key_type));
    let set = if settings.on(Switch::SetOperators)
        && (key_type.is_multi_valued() && g.chance(85) || g.chance(6))
    {
        Some(if g.chance(50) {
            SetOperator::ForAllValues
        } else {
            SetOperator::ForAnyValue
        })
    } else {
        None
    };
    let if_exists = settings.on(Switch::IfExists) && g.chance(15);
    ConditionOperator {
        set,
        base,
        if_exists,
    }
}

/// True for global keys any request may carry (not the tag keys an action or resource lists).
fn is_global(template: &str) -> bool {
    (template.starts_with("aws:")
        && !template.starts_with("aws:RequestTag/")
        && !template.starts_with("aws:ResourceTag/")
        && template != "aws:TagKeys")
        || template.starts_with("iamspec:")
}

/// The key with the case of its service prefix changed (`AWS:PrincipalTag/team`): key names
/// are case-insensitive.
pub fn flip_key_case(key: &str) -> String {
    match key.split_once(':') {
        Some((prefix, rest)) => format!("{}:{}", prefix.to_ascii_uppercase(), rest),
        None => key.to_ascii_uppercase(),
    }
}

fn generate_values(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    key: &Key,
    operator: ConditionOperator,
    variables_enabled: bool,
) -> Vec<String> {
    if operator.base == BaseOperator::Null {
        return vec![if g.chance(50) { "true" } else { "false" }.to_string()];
    }
    let count = if settings.on(Switch::MultiValueOr) && g.chance(35) {
        g.up_to(2, settings.max_values.max(2))
    } else {
        1
    };
    let pool = if settings.realistic {
        crate::keys::domain_values(world, key)
    } else {
        world_values(world, key)
    };
    let mut values: Vec<String> = Vec::new();
    let pool: &[&str] = &pool;
    for _ in 0..count {
        let value = one_value(g, settings, world, key, pool, operator, variables_enabled);
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

fn one_value(
    g: &mut Gen<'_>,
    settings: &Settings,
    world: &World,
    key: &Key,
    pool: &[&str],
    operator: ConditionOperator,
    variables_enabled: bool,
) -> String {
    use BaseOperator::*;
    let base = operator.base;
    let value = g.pick(pool).to_string();
    let string_like = matches!(
        base,
        StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike
            | ArnEquals
            | ArnLike
            | ArnNotEquals
            | ArnNotLike
    );
    if string_like && settings.on(Switch::Variables) && variables_enabled && g.chance(12) {
        return variable(g, settings, world);
    }
    if matches!(base, StringLike | StringNotLike | ArnLike | ArnNotLike)
        && settings.on(Switch::ResourceWildcard)
        && g.chance(40)
    {
        return wildcard_pattern(g, &value);
    }
    if settings.on(Switch::NearMiss) && g.chance(20) {
        let key_type = match base.family() {
            iamspec::condition::OperatorFamily::Ip => KeyType::Ip,
            iamspec::condition::OperatorFamily::Numeric => KeyType::Numeric,
            iamspec::condition::OperatorFamily::Date => KeyType::Date,
            iamspec::condition::OperatorFamily::Binary => KeyType::Binary,
            iamspec::condition::OperatorFamily::Bool => KeyType::Bool,
            _ => key.key_type,
        };
        return mutate::near_miss(g, &value, key_type);
    }
    value
}

/// A wildcard pattern that matches `value` (`prefix*`, one character as `?`, or `*`), or one
/// character short of matching it.
pub fn wildcard_pattern(g: &mut Gen<'_>, value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match g.below(4) {
        0 if !chars.is_empty() => {
            let cut = g.below(chars.len());
            let prefix: String = chars[..cut].iter().collect();
            format!("{prefix}*")
        }
        1 if !chars.is_empty() => {
            let at = g.below(chars.len());
            chars
                .iter()
                .enumerate()
                .map(|(i, c)| if i == at { '?' } else { *c })
                .collect()
        }
        2 => mutate::shorten_pattern(&format!("{value}*")),
        _ => "*".to_string(),
    }
}

/// A policy variable: `${aws:username}`, `${aws:PrincipalTag/K}`, with a default sometimes,
/// or one of the escapes `${*}`, `${?}`, `${$}`.
pub fn variable(g: &mut Gen<'_>, settings: &Settings, world: &World) -> String {
    if settings.on(Switch::VariableEscapes) && g.chance(10) {
        return format!("a{}b", g.pick(&["${*}", "${?}", "${$}"]));
    }
    let key = match g.below(4) {
        0 => "aws:username".to_string(),
        1 => "aws:PrincipalAccount".to_string(),
        _ => format!("aws:PrincipalTag/{}", g.pick(&world.tag_keys)),
    };
    if settings.on(Switch::VariableDefaults) && g.chance(30) {
        let default = g.pick(&crate::vocabulary::Vocabulary::get().samples.tag_values);
        format!("${{{key}, '{default}'}}")
    } else {
        format!("${{{key}}}")
    }
}
