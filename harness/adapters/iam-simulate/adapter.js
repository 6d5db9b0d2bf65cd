#!/usr/bin/env node
// iamspec evaluator-protocol adapter for @cloud-copilot/iam-simulate.
//
// Reads JSON lines on stdin ({"cmd":"start"|"run"|"stop"}), answers JSON lines on stdout.
// The library is AGPL-licensed: it is installed from npm into node_modules and called from
// this separate process; none of its code or test data is part of iamspec.
//
// What it maps, and what it skips, is described in README.md beside this file.
'use strict';

const readline = require('node:readline');
const path = require('node:path');
const fs = require('node:fs');

const LIB = '@cloud-copilot/iam-simulate';
const sim = require(LIB);

const PROTOCOL_VERSION = 1;
const LIB_VERSION = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve(LIB)), '..', '..', 'package.json'), 'utf8')
).version;

const LIST_TYPES = new Set([
  'stringList', 'numericList', 'booleanList', 'ipList', 'binaryList', 'dateList',
]);

function send(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// stdout carries protocol lines only: whatever the library logs goes to stderr.
for (const level of ['log', 'info', 'debug', 'warn']) {
  console[level] = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
}

/** Thrown while mapping a case: the library cannot express this part of it. */
class Unsupported extends Error {}

function parseDocument(policy) {
  if (typeof policy.document !== 'string') return policy.document;
  let parsed;
  try {
    parsed = JSON.parse(policy.document);
  } catch (e) {
    // The library takes parsed documents (its validation rejects a string), so text that is not
    // JSON never reaches it: that is the adapter's parser speaking, not iam-simulate.
    throw new Unsupported(`iam-simulate takes parsed policy documents; the text of ${policy.id} is not JSON (${e.message})`);
  }
  // JSON.parse keeps the last of repeated member names: the library would see a document the
  // text does not say, so such text cannot be expressed either.
  const repeated = repeatedMemberName(policy.document);
  if (repeated !== undefined) {
    throw new Unsupported(`iam-simulate takes parsed policy documents; the text of ${policy.id} repeats the member name ${JSON.stringify(repeated)} in one object, which a parsed document cannot carry`);
  }
  return parsed;
}

/** The first member name repeated within one object of `text` (text JSON.parse accepted), if any. */
function repeatedMemberName(text) {
  const stack = []; // per open object: its names so far and whether a name comes next; null per array
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (top && top.nameNext) {
        const name = JSON.parse(text.slice(i, j + 1));
        if (top.names.has(name)) return name;
        top.names.add(name);
        top.nameNext = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ names: new Set(), nameNext: true });
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top) {
      top.nameNext = true;
    }
  }
  return undefined;
}

function accountOf(arn) {
  const parts = (arn || '').split(':');
  return parts.length >= 5 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** The kind of resource-based policy a resource ARN implies (the case format's default for `policies.resource_kind`). */
function resourceKindOfArn(arn) {
  const parts = (arn || '').split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return 'other';
  const service = parts[2];
  const resource = parts.slice(5).join(':');
  if (service === 's3') return 'bucket';
  if (service === 'iam' && resource.startsWith('role/')) return 'role-trust';
  if (service === 'kms' && resource.startsWith('key/')) return 'kms-key';
  return { sqs: 'queue', sns: 'topic', secretsmanager: 'secret' }[service] || 'other';
}

/** iam-simulate reads the kind of resource-based policy from the resource ARN: a case stating another kind is not expressible. */
function checkResourceKind(c) {
  const kind = c.policies && c.policies.resource_kind;
  if (kind === undefined || kind === null) return;
  for (const req of c.requests || []) {
    for (const r of req.resources || [req.resource || {}]) {
      const implied = resourceKindOfArn(r.arn);
      if (implied !== kind) {
        throw new Unsupported(`iam-simulate reads the kind of resource-based policy from the resource ARN (${implied} for ${r.arn}); the case says ${kind}`);
      }
    }
  }
}

/** The RCPFullAWSAccess policy that the library attaches to every level on its own. */
// `"*"` written as a string or as a one-element list (`["*"]`): both spell the same element.
function isStar(value) {
  return value === '*' || (Array.isArray(value) && value.length === 1 && value[0] === '*');
}

// RCPFullAWSAccess in any spelling AWS accepts: one Allow statement for Principal, Action and
// Resource "*" (each a string or a one-element list), with no condition.
function isFullAccessRcp(doc) {
  if (!doc || typeof doc !== 'object') return false;
  const st = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return st.length === 1 && !!st[0] && st[0].Effect === 'Allow' && isStar(st[0].Principal) &&
    isStar(st[0].Action) && isStar(st[0].Resource) && st[0].Condition === undefined;
}

function contextRecord(entries) {
  const out = {};
  for (const e of entries || []) {
    out[e.key] = LIST_TYPES.has(e.type) ? [...e.values] : e.values[0];
  }
  return out;
}

// Validation messages of @cloud-copilot/iam-policy → iamspec error kinds (corpus/error-kinds.json).
const ERROR_KIND_RULES = [
  [/^Invalid key /, 'unknown-element'],
  [/^Only one of .* found both/, 'conflicting-elements'],
  [/^Version must/, 'invalid-version'],
  [/^Effect must be present and exactly/, 'invalid-effect'],
  [/^Effect must be "Deny"/, 'invalid-effect'],
  [/^Statement is required/, 'missing-element'],
  [/is required in /, 'missing-element'],
  [/is not allowed in .*(Principal|NotPrincipal)|(Principal|NotPrincipal) is not allowed in/, 'unsupported-principal'],
  [/^Principal must be "\*"/, 'invalid-principal'],
  [/^Action must be a wildcard|^Service can only contain|^Action can only contain|^Action cannot be/, 'invalid-action'],
  [/^Condition operator is invalid|^Condition set operator/, 'unknown-condition-operator'],
  [/^Condition/, 'invalid-condition'],
  [/cannot be null or undefined/, 'invalid-element-type'],
  [/^Found data type|^Must be a string|must be a string|^Policy must be an object/, 'invalid-element-type'],
];

function errorKind(message, where) {
  // A statement without Effect is reported at the statement's path, a wrong Effect at `.Effect`.
  if (/^Effect must be present/.test(message) && !/\.Effect$/.test(where || '')) return 'missing-element';
  for (const [re, kind] of ERROR_KIND_RULES) if (re.test(message)) return kind;
  return 'other';
}

/**
 * The first validation error of a failed simulation and the id of the policy it is in: the
 * adapter names every policy by its id in the case (`mapPolicies`), and iam-simulate keys its
 * errors by those names; the session and resource-based policies have one bucket each.
 */
function firstValidationError(errors, c) {
  const p = (c && c.policies) || {};
  const named = (bucket) => Object.entries(bucket || {}).map(([id, list]) => [list, id]);
  const buckets = [
    [errors.sessionPolicyErrors, p.session && p.session[0] && p.session[0].id],
    ...named(errors.identityPolicyErrors),
    ...named(errors.serviceControlPolicyErrors),
    ...named(errors.resourceControlPolicyErrors),
    [errors.resourcePolicyErrors, p.resource && p.resource.id],
    ...named(errors.permissionBoundaryErrors),
  ];
  for (const [list, policy] of buckets) if (list && list.length) return { first: list[0], policy };
  return undefined;
}

/** Builds everything of the Simulation except `request`; shared by every request of a case. */
function mapPolicies(c) {
  checkResourceKind(c);
  const p = c.policies || {};
  if ((p.organizations || []).length) {
    throw new Unsupported('the adapter does not map `policies.organizations` (each account in or out of an organization, with its own SCP and RCP path) onto iam-simulate, which takes one SCP path and one RCP path');
  }
  if (p.vpc_endpoint) {
    throw new Unsupported('the adapter does not map VPC endpoint policies (`policies.vpc_endpoint`) onto iam-simulate');
  }
  if ((p.identity || []).some((pol) => pol.inline !== undefined)) {
    throw new Unsupported('iam-simulate cannot be told which entity an inline policy is embedded in (`inline`), whose aggregate size quota decides policy-too-large');
  }
  const base = {
    identityPolicies: (p.identity || []).map((pol) => ({ name: pol.id, policy: parseDocument(pol) })),
    serviceControlPolicies: (p.scps || []).map((level, i) => ({
      orgIdentifier: i === 0 ? 'r-root' : `ou-level-${i}`,
      policies: level.map((pol) => ({ name: pol.id, policy: parseDocument(pol) })),
    })),
    resourceControlPolicies: (p.rcps || []).map((level, i) => ({
      orgIdentifier: i === 0 ? 'r-root' : `ou-level-${i}`,
      policies: level
        .map((pol) => ({ name: pol.id, policy: parseDocument(pol) }))
        .filter((pol) => !isFullAccessRcp(pol.policy)),
    })),
  };
  if (p.resource) base.resourcePolicy = parseDocument(p.resource);
  if (p.permissions_boundary) {
    base.permissionBoundaryPolicies = [
      { name: p.permissions_boundary.id, policy: parseDocument(p.permissions_boundary) },
    ];
  }
  const session = p.session || [];
  if (session.length > 1) {
    throw new Unsupported('iam-simulate takes one session policy; the case has ' + session.length);
  }
  if (session.length === 1) base.sessionPolicy = parseDocument(session[0]);
  return base;
}

function principalOf(c) {
  const pr = c.principal || {};
  if (pr.arn === '' || pr.type === 'anonymous') return sim.anonymousPrincipal;
  if (pr.type === 'web-identity' && !(pr.arn || '').startsWith('arn:')) {
    throw new Unsupported(`the adapter cannot tell iam-simulate that ${pr.arn} is a web identity provider's user (not an ARN; the library reads it as a service name)`);
  }
  if (pr.management_account) {
    throw new Unsupported('iam-simulate has no notion of the management account (which SCPs do not affect)');
  }
  // A Principal can name the caller by other identities than its ARN (IAM User Guide, "AWS JSON
  // policy elements: Principal", "IAM identifiers"); iam-simulate takes the caller's ARN only.
  for (const [field, what] of [
    ['user', 'the IAM user who called GetFederationToken'],
    ['unique_id', 'the unique ID (AIDA.../AROA...) of the user or role'],
    ['canonical_user', "the account's Amazon S3 canonical user ID"],
  ]) {
    if (pr[field] !== undefined) {
      throw new Unsupported(`iam-simulate takes the caller's ARN only; it cannot be given ${what} (\`principal.${field}\`)`);
    }
  }
  return pr.arn;
}

function statementRef(sa, fallbackId) {
  const idx = typeof sa.statement.index === 'function' ? sa.statement.index() - 1 : undefined;
  const ref = { policy: sa.policyId || fallbackId, statement: idx };
  const sid = typeof sa.statement.sid === 'function' ? sa.statement.sid() : undefined;
  if (sid !== undefined) ref.sid = sid;
  return ref;
}

/** The statements that decided, in the corpus sense: the Deny ones for explicitDeny, the Allow ones for allowed. */
function matchedOf(analysis, decision, c) {
  if (decision === 'implicitDeny') return [];
  const key = decision === 'explicitDeny' ? 'denyStatements' : 'allowStatements';
  const resourceId = c.policies && c.policies.resource ? c.policies.resource.id : undefined;
  const out = [];
  const add = (part, fallback) => {
    for (const sa of (part && part[key]) || []) {
      if (sa.policyId === 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess') continue;
      out.push(statementRef(sa, fallback));
    }
  };
  add(analysis.identityAnalysis);
  add(analysis.resourceAnalysis, resourceId);
  add(analysis.permissionBoundaryAnalysis);
  add(analysis.sessionAnalysis, c.policies && c.policies.session && c.policies.session[0] && c.policies.session[0].id);
  if (decision === 'explicitDeny') {
    // Guardrails grant nothing: their Allow statements are not what allowed a request.
    for (const ou of (analysis.scpAnalysis && analysis.scpAnalysis.ouAnalysis) || []) add(ou);
    for (const ou of (analysis.rcpAnalysis && analysis.rcpAnalysis.ouAnalysis) || []) add(ou);
  }
  return out;
}

const DECISIONS = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

async function decideOne(c, base, action, resource, context) {
  const principal = principalOf(c);
  const owner = resource.owner || accountOf(c.principal.account ? `arn:aws:iam::${c.principal.account}:` : c.principal.arn) || accountOf(resource.arn) || '';
  const simulation = {
    ...base,
    request: {
      principal,
      action,
      resource: { resource: resource.arn, accountId: owner },
      contextVariables: context,
    },
  };
  const res = await sim.runSimulation(simulation, { simulationMode: 'Strict' });
  if (res.resultType === 'error') {
    const found = firstValidationError(res.errors, c);
    if (found) {
      const { first, policy } = found;
      const out = { error: errorKind(first.message, first.path), message: `${first.path}: ${first.message}` };
      if (policy !== undefined) out.policy = policy;
      return out;
    }
    return { skipped: true, message: `iam-simulate refused the request: ${res.errors.message}` };
  }
  const decision = DECISIONS[res.overallResult];
  const analyses = res.resultType === 'single'
    ? [res.result]
    : res.results.filter((r) => r.analysis.result === res.overallResult);
  const matched = [];
  const ignored = new Set();
  for (const r of analyses) {
    for (const m of matchedOf(r.analysis, decision, c)) {
      if (!matched.some((x) => x.policy === m.policy && x.statement === m.statement)) matched.push(m);
    }
    for (const k of r.ignoredContextKeys || []) ignored.add(k);
  }
  const out = { decision, matched };
  if (ignored.size) out.message = `iam-simulate ignored context keys it does not know for this action: ${[...ignored].join(', ')}`;
  return out;
}

function combine(results) {
  const firstErr = results.find((r) => r.error);
  if (firstErr) return firstErr;
  const skip = results.find((r) => r.skipped);
  if (skip) return skip;
  let decision = 'allowed';
  if (results.some((r) => r.decision === 'explicitDeny')) decision = 'explicitDeny';
  else if (results.some((r) => r.decision !== 'allowed')) decision = 'implicitDeny';
  return { decision, resources: results };
}

async function runCase(c) {
  let base;
  try {
    base = mapPolicies(c);
  } catch (e) {
    if (e instanceof Unsupported) return { skipped: true, message: e.message };
    throw e;
  }
  const results = [];
  for (const req of c.requests) {
    try {
      if (req.resources) {
        const per = [];
        for (const r of req.resources) {
          const ctx = contextRecord([...(req.context || []), ...(r.context || [])]);
          per.push(await decideOne(c, base, req.action, r, ctx));
        }
        results.push(combine(per));
      } else {
        const ctx = contextRecord([...(req.context || []), ...((req.resource && req.resource.context) || [])]);
        results.push(await decideOne(c, base, req.action, req.resource, ctx));
      }
    } catch (e) {
      if (e instanceof Unsupported) results.push({ skipped: true, message: e.message });
      else throw e;
    }
  }
  return { results };
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      process.stderr.write(`iam-simulate adapter: not JSON: ${e.message}\n`);
      continue;
    }
    if (msg.cmd === 'start') {
      if (msg.version !== PROTOCOL_VERSION) {
        process.stderr.write(`iam-simulate adapter: protocol version ${msg.version} unsupported\n`);
        process.exit(2);
      }
      send({
        version: PROTOCOL_VERSION,
        implementation: {
          name: 'iam-simulate',
          version: LIB_VERSION,
          language: 'typescript',
          homepage: 'https://github.com/cloud-copilot/iam-simulate',
          issues: 'https://github.com/cloud-copilot/iam-simulate/issues',
          decision_mode: 'exact',
        },
      });
    } else if (msg.cmd === 'run') {
      try {
        send({ seq: msg.seq, ...(await runCase(msg.case)) });
      } catch (e) {
        send({ seq: msg.seq, errored: true, context: { message: String((e && e.stack) || e) } });
      }
    } else if (msg.cmd === 'stop') {
      process.exit(0);
    } else {
      process.stderr.write(`iam-simulate adapter: unknown cmd ${JSON.stringify(msg.cmd)}\n`);
    }
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
