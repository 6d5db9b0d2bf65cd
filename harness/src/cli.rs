//! The command line grammar: every subcommand (`eval`, `check`, `gen`, `diff`, `bench`,
//! `report`), its flags, and the parsing of
//! flag values that clap cannot read on its own (`--context KEY=TYPE:VALUE[,VALUE...]`).
//!
//! This module only describes and reads arguments; the commands themselves live in
//! [`crate::commands`].

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Parser, Subcommand, ValueEnum};
use iamspec_generators::Settings;

use crate::oracle::spec::OracleSpec;
use crate::run::compare::ComparisonMode;
use iamspec::context::{ContextEntry, ContextKeyType};
use iamspec::policy::PolicyType;

/// The principal `iamspec eval` uses when `--principal` is not given.
pub const DEFAULT_PRINCIPAL: &str = "arn:aws:iam::111122223333:user/iamspec";

/// iamspec: an executable specification of AWS IAM policy evaluation.
///
/// Exit status: 0 when the command did its job (whatever the decision, unless `eval --exit-code`),
/// 1 when `check` saw a failure or an error (or `eval --exit-code` saw a denial), 2 when the
/// input could not be used (bad arguments, unreadable files, a policy AWS would reject).
#[derive(Debug, Parser)]
#[command(
    name = "iamspec",
    version,
    long_about = None,
    after_help = "Exit status: 0 when the command did its job (eval: whatever the decision), \
1 when check saw a failure or an error (or eval --exit-code saw a denial), 2 for unusable input."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decide one request against policy files, with the simulator's explanation.
    Eval(Box<EvalArgs>),
    /// Run case files (the bundled corpus by default) on the reference evaluator or a
    /// third-party evaluator, and report per feature.
    Check(CheckArgs),
    /// Generate random cases: write them as case files (`--out`) or print coverage (`--stats`).
    Gen(GenArgs),
    /// Conformance reports: compare two runs, or generate docs/CONFORMANCE.md.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Decisions per second of the reference evaluator and of third-party evaluators.
    Bench(BenchArgs),
    /// Differential run: generated cases on the reference and another evaluator; disagreements
    /// shrunk and filed under triage/.
    Diff(Box<DiffArgs>),
    /// Print a shell completion script: `iamspec completions bash > ~/.local/share/bash-completion/completions/iamspec`.
    Completions(CompletionsArgs),
}

/// Arguments of `iamspec completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Install:\n  bash: iamspec completions bash > ~/.local/share/bash-completion/completions/iamspec\n  \
zsh:  iamspec completions zsh > ~/.zfunc/_iamspec   (with `fpath+=~/.zfunc; autoload -U compinit; compinit` in ~/.zshrc)\n  \
fish: iamspec completions fish > ~/.config/fish/completions/iamspec.fish"
)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells `iamspec completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// When `check` colours its text (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour (even through a pipe, and whatever `NO_COLOR` says).
    Always,
    /// Never colour.
    Never,
}

/// Arguments of `iamspec gen`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  iamspec gen --count 1000 --seed 7 --stats\n  iamspec gen --count 10000 --preset realistic --stats   # realism rules broken: all 0\n  iamspec gen --count 50 --seed 7 --out generated/\n\n\
Written cases have source.kind = triage: their expectations are the reference evaluator's\n\
unconfirmed answer, never conformance. The same seed, preset and count give the same cases."
)]
pub struct GenArgs {
    /// How many cases to generate.
    #[arg(long, default_value_t = 100)]
    pub count: usize,
    /// The seed; the same seed, preset and count give the same cases.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The generator settings preset: `realistic` (only inputs AWS could produce),
    /// `well-formed`, `adversarial` (also invalid and impossible inputs) or `identity-only`.
    #[arg(long, default_value = "well-formed")]
    pub preset: String,
    /// Write the cases as case files into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print how often each feature appears and the mix of decisions.
    #[arg(long)]
    pub stats: bool,
    /// Keep only the cases whose index is I-1 modulo N (`--shard 1/4` ... `4/4` are disjoint
    /// and together the whole batch).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::shard::Shard>,
    /// Threads generating (and counting or writing) cases (default: the available cores, at
    /// most 8); the output is the same whatever the number.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// `iamspec report ...`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Show what got fixed and what broke between two JSON reports (`--report-dir`'s
    /// report.json). Exit status 1 when something broke.
    Diff {
        /// The older report.
        old: PathBuf,
        /// The newer report.
        new: PathBuf,
    },
    /// Run the reference evaluator and the bundled adapters over the corpus and write the
    /// conformance page (Markdown), plus JSON and HTML with --report-dir.
    Conformance(ConformanceArgs),
    /// Merge the reports of `--shard I/N` runs into one: the summaries of `iamspec diff` shards
    /// (each shard's `OUT/.diff/<oracle>/summary.json`; exit status 1 when a shard found a
    /// disagreement) or the JSON reports of `iamspec check` shards (each `--report-dir`'s
    /// `report.json`; exit status 1 when a shard had a failure or error not known).
    Shards {
        /// The shards' summary.json (diff) or report.json (check) files.
        #[arg(required = true)]
        summaries: Vec<PathBuf>,
        /// Also write the merged summary as JSON here.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
    },
}

/// Arguments of `iamspec report conformance`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  harness/adapters/install-all.sh\n  \
iamspec report conformance --out docs/CONFORMANCE.md --report-dir docs/reports")]
pub struct ConformanceArgs {
    /// The Markdown file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Also write report.json, report.md and report.html here.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// The adapters to run (default: every bundled adapter); repeat for several.
    #[arg(long = "adapter", value_name = "NAME")]
    pub adapters: Vec<String>,
    /// Parallel instances per adapter (default: the available cores, at most 8).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds an evaluator may take to start, and over one case.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    pub timeout: Timeout,
}

/// Arguments of `iamspec bench`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each implementation runs the same cases in one process (one instance), \
started before the clock starts: the times are wall-clock over the cases, start-up excluded. \
Each round repeats the cases for at least --round-seconds; with the reference and others, a \
table of the reference's rate over each other's follows.\n\
Example:\n  iamspec bench --reference --adapter iam-simulate --adapter pmapper --adapter moto"
)]
pub struct BenchArgs {
    /// What to measure: `reference` (in process), `adapter:NAME`, `command:CMD` or
    /// `replay:FILE`; repeat for several.
    #[arg(long = "oracle", value_name = ORACLE_VALUES)]
    pub oracles: Vec<OracleSpec>,
    /// Old spelling of `--oracle reference`.
    #[arg(long, hide = true)]
    pub reference: bool,
    /// Old spelling of `--oracle adapter:NAME`.
    #[arg(long = "adapter", value_name = "NAME", hide = true)]
    pub adapters: Vec<String>,
    /// Old spelling of `--oracle command:CMD`.
    #[arg(long = "evaluator", value_name = "COMMAND", hide = true)]
    pub evaluators: Vec<String>,
    /// A directory of case files (default: the bundled corpus); repeat for several.
    #[arg(long = "cases", value_name = "DIR")]
    pub cases: Vec<PathBuf>,
    /// Rounds per implementation; the slowest, median and fastest rounds' rates are reported.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub rounds: usize,
    /// The shortest round, in seconds: each round runs the cases again and again until it has
    /// lasted this long (one pass at least; 0 for one pass per round).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    pub round_seconds: f64,
    /// Seconds an evaluator may take to start, and over one case.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    pub timeout: Timeout,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl BenchArgs {
    /// Every oracle to measure, `--oracle` first, then the old spellings, in order.
    pub fn all_oracles(&self) -> Vec<OracleSpec> {
        let mut all = self.oracles.clone();
        if self.reference {
            all.push(OracleSpec::Reference);
        }
        all.extend(self.adapters.iter().cloned().map(OracleSpec::Adapter));
        all.extend(self.evaluators.iter().cloned().map(OracleSpec::Command));
        all
    }
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// One JSON object on stdout.
    Json,
}

/// The policy types a `--policy` file can be used as (`--policy-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum PolicyTypeArg {
    /// Identity-based policies (the default).
    #[default]
    Identity,
    /// A resource-based policy (exactly one file).
    Resource,
    /// A permissions boundary (exactly one file).
    PermissionsBoundary,
    /// Session policies.
    Session,
    /// Service control policies, all at one organization level.
    Scp,
    /// Resource control policies, all at one organization level.
    Rcp,
}

impl PolicyTypeArg {
    /// The evaluator's policy type.
    pub fn policy_type(self) -> PolicyType {
        match self {
            PolicyTypeArg::Identity => PolicyType::Identity,
            PolicyTypeArg::Resource => PolicyType::Resource,
            PolicyTypeArg::PermissionsBoundary => PolicyType::PermissionsBoundary,
            PolicyTypeArg::Session => PolicyType::Session,
            PolicyTypeArg::Scp => PolicyType::Scp,
            PolicyTypeArg::Rcp => PolicyType::Rcp,
        }
    }
}

/// Arguments of `iamspec eval`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  iamspec eval --policy launch.json --action ec2:RunInstances \\\n    \
    --resource arn:aws:ec2:us-east-1::image/ami-0abc \\\n    \
    --context ec2:ResourceTag/Environment=string:Prod\n\n\
Exit status: 0 whatever the decision (1 for a denial with --exit-code), 2 for unusable input."
)]
pub struct EvalArgs {
    /// A policy document file; its id in the explanation is the file name without extension.
    #[arg(long = "policy", value_name = "FILE", num_args = 1..)]
    pub policies: Vec<PathBuf>,
    /// How the `--policy` files are used.
    #[arg(long, value_enum, default_value_t = PolicyTypeArg::Identity)]
    pub policy_type: PolicyTypeArg,
    /// The resource's resource-based policy (with `Principal`).
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Option<PathBuf>,
    /// The caller's permissions boundary.
    #[arg(long, value_name = "FILE")]
    pub permissions_boundary: Option<PathBuf>,
    /// A session policy of the caller's session; repeat for several.
    #[arg(long = "session-policy", value_name = "FILE")]
    pub session_policies: Vec<PathBuf>,
    /// One organization level of service control policies (comma-separated files); repeat
    /// for each level, root first, account last.
    #[arg(long = "scp", value_name = "FILE[,FILE...]")]
    pub scp_levels: Vec<String>,
    /// One organization level of resource control policies (comma-separated files); repeat
    /// for each level, root first, account last.
    #[arg(long = "rcp", value_name = "FILE[,FILE...]")]
    pub rcp_levels: Vec<String>,
    /// The caller's ARN.
    #[arg(long, value_name = "ARN", default_value = DEFAULT_PRINCIPAL)]
    pub principal: String,
    /// The output of `aws iam get-account-authorization-details`: the `--principal` user's or
    /// role's own policies (inline, attached managed, its groups', its boundary) are read from it.
    #[arg(long, value_name = "FILE")]
    pub account_snapshot: Option<PathBuf>,
    /// The caller's type, when it should not be read from the ARN: `user`, `role`,
    /// `assumed-role`, `federated-user`, `root`, `service` or `anonymous`.
    #[arg(long, value_name = "TYPE")]
    pub principal_type: Option<String>,
    /// For a role session: the ARN of the role behind it (with its path).
    #[arg(long, value_name = "ARN")]
    pub role: Option<String>,
    /// The caller belongs to the organization's management account (SCPs do not affect it).
    #[arg(long)]
    pub management_account: bool,
    /// The action, e.g. `ec2:RunInstances`.
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// A resource ARN (or `*`); repeat for an API call that touches several resources.
    #[arg(long = "resource", value_name = "ARN", required = true, num_args = 1..)]
    pub resources: Vec<String>,
    /// The account that owns the resources (the simulator's ResourceOwner).
    #[arg(long, value_name = "ACCOUNT")]
    pub resource_owner: Option<String>,
    /// A context key of the request: `KEY=TYPE:VALUE` for single-valued types
    /// (`string`, `numeric`, `boolean`, `ip`, `binary`, `date`), `KEY=TYPE:V1,V2,...` for the
    /// `...List` types. Repeat for several keys.
    #[arg(long = "context", value_name = "KEY=TYPE:VALUE", value_parser = parse_context_arg)]
    pub context: Vec<ContextEntry>,
    /// Fill the context keys AWS fills for a real request from this principal that its ARN
    /// determines (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username for
    /// users, aws:userid for root and federated users); `--context` wins. Off by default, like
    /// the policy simulator.
    #[arg(long)]
    pub principal_context: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when the request is denied (explicitly or implicitly).
    #[arg(long)]
    pub exit_code: bool,
}

/// Arguments of `iamspec check`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Without --cases, runs the bundled corpus (the source tree's corpus/, else ./corpus).\n\
Without --evaluator or --adapter, runs the reference evaluator.\n\
The last line of text output is the summary: `N passed, N failed, N skipped, N errored` \
(then `, N crashed, N timed out` when not zero, and the known-failure counts for an evaluator).\n\
Exit status: 0 when nothing failed or errored (triage cases never count; with known failures: \
no new failure or error and no listed test that stopped failing), 1 otherwise, 2 for unusable input."
)]
pub struct CheckArgs {
    /// A directory of case files (searched recursively); repeat for several.
    #[arg(long = "cases", value_name = "DIR")]
    pub cases: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Run only the requests whose test name (`<file>::<request>`) contains this text.
    #[arg(long, value_name = "SUBSTRING")]
    pub filter: Option<String>,
    /// Who answers: `reference` (default), `adapter:NAME` (a bundled adapter,
    /// `harness/adapters/NAME/run.sh` after `install-all.sh`, with its `known-failures.json`),
    /// `command:CMD` (a program run as by `sh -c` that speaks the evaluator protocol,
    /// docs/protocol/README.md) or `replay:FILE` (answers recorded with `--record`).
    #[arg(long, value_name = ORACLE_VALUES, conflicts_with_all = ["evaluator", "adapter", "replay"])]
    pub oracle: Option<OracleSpec>,
    /// Old spelling of `--oracle command:CMD`.
    #[arg(long, value_name = "COMMAND", conflicts_with = "adapter", hide = true)]
    pub evaluator: Option<String>,
    /// Old spelling of `--oracle adapter:NAME`.
    #[arg(long, value_name = "NAME", hide = true)]
    pub adapter: Option<String>,
    /// How answers are compared with expectations: default `decision` for a third-party
    /// evaluator (one that declares `decision_mode: "class"` is always compared in
    /// decision-class); without --evaluator/--adapter, the reference evaluator is checked on
    /// everything each case states unless a mode is given.
    #[arg(long = "compare", value_parser = comparison_mode(), value_name = "MODE")]
    pub compare: Option<ComparisonMode>,
    /// Parallel evaluator instances (default: the available cores, at most 8).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds an evaluator may take to start, and over one case before it is killed and
    /// restarted.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    pub timeout: Timeout,
    /// Check every message the evaluator sends against docs/protocol/*.schema.json; a message
    /// that breaks them is garbage (the case errors and the evaluator restarts).
    #[arg(long)]
    pub validate_protocol: bool,
    /// A known-failures file (`[{"test", "reason", "link"?}]`); `--adapter` uses the adapter's.
    #[arg(long, value_name = "FILE")]
    pub known_failures: Option<PathBuf>,
    /// Ignore the adapter's known-failures file.
    #[arg(long, conflicts_with = "known_failures")]
    pub no_known_failures: bool,
    /// Also write the report as Markdown and JSON (and an HTML page) into this directory.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Never draw a progress bar (it is only drawn on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Append the evaluator's answers to this JSON-lines file (case hash -> answers), for
    /// `--replay`.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Old spelling of `--oracle replay:FILE`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["evaluator", "adapter", "record"], hide = true)]
    pub replay: Option<PathBuf>,
    /// Print the whole per-feature table (by default only the tags where something did not
    /// pass).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print only the problems (failures, errors, known failures that stopped failing) and the
    /// summary line.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub failures_only: bool,
    /// Colour the text report: `auto` (when standard output is a terminal and `NO_COLOR` is not
    /// set), `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Run only the case files whose position (in the order the directories list them) is I-1
    /// modulo N: `--shard 1/4` ... `4/4` are disjoint and together the whole run; merge their
    /// `--report-dir` report.json files with `iamspec report shards`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::shard::Shard>,
}

impl CheckArgs {
    /// The arguments with `--oracle` spelled out in the fields the command reads
    /// (`evaluator`, `adapter`, `replay`); `--oracle reference` sets none.
    pub fn resolved(&self) -> CheckArgs {
        let mut args = self.clone();
        match &self.oracle {
            None | Some(OracleSpec::Reference) => {}
            Some(OracleSpec::Adapter(name)) => args.adapter = Some(name.clone()),
            Some(OracleSpec::Command(command)) => args.evaluator = Some(command.clone()),
            Some(OracleSpec::Replay(path)) => args.replay = Some(path.clone()),
            // `check` refuses it before resolving (see `commands::check::run`).
            Some(OracleSpec::Aws) => {}
        }
        args
    }
}

/// Reads a `--context` value: `KEY=TYPE:VALUE` or `KEY=TYPE:V1,V2,...` (list types).
///
/// The key ends at the first `=`, the type at the next `:`; everything after is the value. For
/// a single-valued type the value is taken whole (it may contain `,`); for a `...List` type it
/// is split on `,` (an empty value gives an empty list). Every value must read as the type
/// (`numeric:0x100`, `ip:999.1.1.1` are errors).
pub fn parse_context_arg(arg: &str) -> Result<ContextEntry, String> {
    let (key, typed) = arg
        .split_once('=')
        .ok_or_else(|| format!("`{arg}` has no `=`: expected KEY=TYPE:VALUE"))?;
    if key.is_empty() {
        return Err(format!("`{arg}` has an empty key: expected KEY=TYPE:VALUE"));
    }
    let (type_name, value) = typed
        .split_once(':')
        .ok_or_else(|| format!("`{arg}` has no `:` after the type: expected KEY=TYPE:VALUE"))?;
    let key_type = ContextKeyType::from_name(type_name).ok_or_else(|| {
        let names: Vec<&str> = ContextKeyType::ALL.iter().map(|t| t.name()).collect();
        format!(
            "`{type_name}` in `{arg}` is not a context key type; expected one of: {}",
            names.join(", ")
        )
    })?;
    let values = if !key_type.is_list() {
        vec![value.to_string()]
    } else if value.is_empty() {
        Vec::new()
    } else {
        value.split(',').map(str::to_string).collect()
    };
    let entry = ContextEntry {
        key: key.to_string(),
        key_type,
        values,
    };
    // A value that does not read as its type is bad input (the simulator's InvalidInput).
    entry.check().map_err(|e| e.to_string())?;
    Ok(entry)
}

/// The options of `--oracle aws` (AWS's policy simulator through `aws-sdk-iam`; credentials
/// from the standard chain: environment, profiles, SSO, web identity).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "AWS options (--oracle aws)")]
pub struct AwsArgs {
    /// Call `SimulatePrincipalPolicy` for this sandbox IAM user, group or role (its own
    /// attached policies excluded) instead of `SimulateCustomPolicy`.
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
    /// With `--principal` (an IAM user or role): the cases are about the principal's own
    /// policies. `SimulatePrincipalPolicy` counts what is attached to it (nothing excluded), and
    /// the reference reads the same policies from this output of `aws iam
    /// get-account-authorization-details`.
    #[arg(long, value_name = "FILE", requires = "principal")]
    pub account_snapshot: Option<PathBuf>,
    /// Make at most N API calls in this run (a hard budget; later calls are "could not
    /// answer").
    #[arg(long, value_name = "N")]
    pub max_calls: Option<usize>,
    /// The answer cache (default: OUT/.diff/aws/cache): known answers cost no call; share it
    /// between runs and shards.
    #[arg(long, value_name = "DIR")]
    pub aws_cache: Option<PathBuf>,
    /// Do not read or write the answer cache.
    #[arg(long, conflicts_with = "aws_cache")]
    pub no_aws_cache: bool,
    /// At most this many API calls per second.
    #[arg(long, value_name = "N", default_value_t = 5.0)]
    pub aws_rate: f64,
    /// The region of the IAM client (default: the standard chain's, else us-east-1).
    #[arg(long, value_name = "REGION")]
    pub aws_region: Option<String>,
    /// Send the calls to this endpoint instead of IAM's.
    #[arg(long, value_name = "URL")]
    pub aws_endpoint: Option<String>,
    /// Answer from an HTTP traffic file (JSON lines written by --aws-record) instead of the
    /// network; needs no credentials.
    #[arg(long, value_name = "FILE")]
    pub aws_replay: Option<PathBuf>,
    /// Append every HTTP exchange with AWS to this traffic file (no credentials are written).
    #[arg(long, value_name = "FILE")]
    pub aws_record: Option<PathBuf>,
}

/// Arguments of `iamspec diff`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Findings go to OUT/triage/<oracle>/<signature>.json (OUT = ./iamspec-findings by default, \
the corpus with --into-corpus; OUT/regressions/ for --oracle aws); raw cases and the run state to OUT/.diff/<oracle>/.\n\
Exit status: 0 when the sides never disagreed, 1 when they did, 2 for unusable input or a failed write."
)]
pub struct DiffArgs {
    /// The other side: `aws` (AWS's policy simulator, see the AWS options), `adapter:NAME`
    /// (harness/adapters/NAME/run.sh), `command:CMD` (run as by `sh -c`), `replay:FILE` (a
    /// recording) or `reference` (the reference against itself).
    #[arg(
        long,
        value_name = ORACLE_VALUES
    )]
    pub oracle: OracleSpec,
    /// Run only the generated cases whose index is I-1 modulo N: `--shard 1/4` ... `--shard 4/4`
    /// are disjoint and together the whole batch.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::shard::Shard>,
    /// With `--oracle aws`: how to reach AWS and what a run may spend.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// How many cases to generate.
    #[arg(long, default_value_t = 100)]
    pub count: usize,
    /// The generator seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The generator preset: `realistic` (the default: only inputs AWS could produce) or
    /// another, whose cases say which realism rules they break.
    #[arg(long, default_value = "realistic", value_parser = PossibleValuesParser::new(Settings::PRESETS))]
    pub preset: String,
    /// How strictly answers must match (a class-only evaluator is compared by class anyway).
    #[arg(long = "compare", alias = "mode", value_name = "MODE", value_parser = comparison_mode(), default_value_t = ComparisonMode::Decision)]
    pub compare: ComparisonMode,
    /// Where findings go (default: `./iamspec-findings/`).
    #[arg(long, value_name = "DIR", conflicts_with = "into_corpus")]
    pub out: Option<PathBuf>,
    /// Write findings into the corpus (the source tree's `corpus/`, else `./corpus`) rather
    /// than `./iamspec-findings/`.
    #[arg(long)]
    pub into_corpus: bool,
    /// At most this many shrink candidates tried per disagreement.
    #[arg(long, default_value_t = 400)]
    pub max_shrink_steps: usize,
    /// Continue an interrupted run from `OUT/.diff/<oracle>/state.json` (saved after every
    /// case with a disagreement, otherwise about once a second: cases without findings run
    /// since the last save run again).
    #[arg(long)]
    pub resume: bool,
    /// Seconds the other side may take to start, and per case.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    pub timeout: Timeout,
    /// Append every answer of the other side (shrink steps included) to this JSON-lines
    /// recording, which `--oracle replay:FILE` replays offline.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Threads generating cases and deciding them on the reference side (default: the
    /// available cores, at most 8); the other side answers one case at a time, and the
    /// findings, summary and state are the same whatever the number.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// The parser of a `ComparisonMode` flag (`decision-class`, `decision`, `matched`, `full`),
/// listing the possible values in `--help` (the type lives in `iamspec-format`, which does not
/// depend on clap).
pub fn comparison_mode() -> impl clap::builder::TypedValueParser<Value = ComparisonMode> {
    use clap::builder::TypedValueParser;
    PossibleValuesParser::new(ComparisonMode::ALL.iter().map(|m| m.name()))
        .try_map(|name| name.parse::<ComparisonMode>())
}

/// Output formats of `iamspec check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CheckFormat {
    /// Human-readable text, ending with the summary line.
    #[default]
    Text,
    /// One JSON object on stdout.
    Json,
    /// JUnit XML (one testcase per request), for CI systems.
    Junit,
}

/// How `--oracle` is written in the help.
const ORACLE_VALUES: &str = "reference|adapter:NAME|command:CMD|replay:FILE";

/// A per-case timeout in seconds (`--timeout`), the same for every command: a positive number
/// of seconds (fractions allowed) up to [`Timeout::MAX_SECONDS`]. Clap rejects anything else
/// with a message naming the flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeout(Duration);

impl Timeout {
    /// The longest timeout accepted: one day.
    pub const MAX_SECONDS: f64 = 86_400.0;

    /// The timeout as a duration.
    pub fn duration(self) -> Duration {
        self.0
    }
}

impl std::str::FromStr for Timeout {
    type Err = String;

    fn from_str(text: &str) -> Result<Timeout, String> {
        let seconds: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a number of seconds"))?;
        if !seconds.is_finite() || seconds <= 0.0 {
            return Err(format!("`{text}`: expected a positive number of seconds"));
        }
        if seconds > Timeout::MAX_SECONDS {
            return Err(format!(
                "`{text}`: at most {} seconds (one day)",
                Timeout::MAX_SECONDS
            ));
        }
        Duration::try_from_secs_f64(seconds)
            .map(Timeout)
            .map_err(|e| format!("`{text}`: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn context_args_are_read() {
        let e = parse_context_arg("ec2:ResourceTag/Environment=string:Prod").unwrap();
        assert_eq!(e.key, "ec2:ResourceTag/Environment");
        assert_eq!(e.key_type, ContextKeyType::String);
        assert_eq!(e.values, vec!["Prod"]);

        let e = parse_context_arg("aws:CurrentTime=date:2026-01-01T00:00:00Z").unwrap();
        assert_eq!(e.values, vec!["2026-01-01T00:00:00Z"]);

        let e = parse_context_arg("aws:TagKeys=stringList:a,b,c").unwrap();
        assert_eq!(e.key_type, ContextKeyType::StringList);
        assert_eq!(e.values, vec!["a", "b", "c"]);

        let e = parse_context_arg("aws:TagKeys=stringList:").unwrap();
        assert!(e.values.is_empty());

        let e = parse_context_arg("s3:prefix=string:a,b").unwrap();
        assert_eq!(e.values, vec!["a,b"]);
    }

    #[test]
    fn bad_context_args_say_what_is_wrong() {
        assert!(parse_context_arg("aws:SourceIp")
            .unwrap_err()
            .contains("no `=`"));
        assert!(parse_context_arg("=string:x")
            .unwrap_err()
            .contains("empty key"));
        assert!(parse_context_arg("k=string")
            .unwrap_err()
            .contains("no `:`"));
        let err = parse_context_arg("k=String:x").unwrap_err();
        assert!(err.contains("`String`"), "{err}");
        assert!(err.contains("stringList"), "{err}");
    }

    #[test]
    fn eval_arguments_parse() {
        let cli = Cli::try_parse_from([
            "iamspec",
            "eval",
            "--policy",
            "a.json",
            "b.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::b/k",
            "--context",
            "aws:SecureTransport=boolean:true",
            "--format",
            "json",
        ])
        .unwrap();
        let Command::Eval(args) = cli.command else {
            panic!("not eval")
        };
        assert_eq!(args.policies.len(), 2);
        assert_eq!(args.principal, DEFAULT_PRINCIPAL);
        assert_eq!(args.format, Format::Json);
        assert_eq!(args.context.len(), 1);
        assert!(!args.exit_code);
    }

    #[test]
    fn a_bad_context_arg_is_a_usage_error_naming_the_flag() {
        let err = Cli::try_parse_from([
            "iamspec",
            "eval",
            "--policy",
            "a.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
            "--context",
            "nonsense",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("--context"), "{err}");
    }

    #[test]
    fn context_values_must_read_as_their_type() {
        for arg in [
            "s3:max-keys=numeric:0x100",
            "s3:max-keys=numeric:1,000",
            "s3:max-keys=numeric: 1000",
            "aws:SecureTransport=boolean:no",
            "aws:SecureTransport=boolean:0",
            "aws:CurrentTime=date:01/01/2024",
            "aws:CurrentTime=date:2024-01-01 00:00:00",
            "aws:SourceIp=ip:999.1.1.1",
            "aws:SourceIp=ip:192.168.1.1 ",
            "k=ipList:10.0.0.1,999.1.1.1",
        ] {
            let err = parse_context_arg(arg).unwrap_err();
            assert!(err.contains("is not"), "{arg}: {err}");
        }
        let err = Cli::try_parse_from([
            "iamspec",
            "eval",
            "--policy",
            "a.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
            "--context",
            "s3:max-keys=numeric:0x100",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(
            text.contains("--context") && text.contains("`0x100` is not a number"),
            "{text}"
        );
        assert!(parse_context_arg("s3:max-keys=numeric:1000").is_ok());
    }
}
