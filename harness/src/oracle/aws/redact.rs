//! Scrubbing credentials out of text: the values of the credentials in use, and anything shaped
//! like an access key id (`AKIA…`, `ASIA…`) or a SigV4 signature, are replaced before a message
//! reaches a log, a report, the cache, a recording or a case file.

use crate::oracle::CouldNotAnswer;

/// What replaces a credential.
pub const REDACTED: &str = "[REDACTED]";

/// The secrets to scrub.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// Adds a value to scrub (ignored when shorter than 4 characters, which would scrub
    /// ordinary words).
    pub fn add(&mut self, secret: &str) {
        if secret.len() >= 4 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            // Longest first, so that a secret containing another is scrubbed whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// `text` without any credential.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), REDACTED);
        }
        scrub_shapes(&out)
    }

    /// A non-answer without any credential in its message or detail.
    pub fn redact_answer(&self, mut c: CouldNotAnswer) -> CouldNotAnswer {
        c.message = self.redact(&c.message);
        c.detail = c.detail.map(|d| self.redact(&d));
        c
    }
}

/// Replaces access-key-id shapes and the values of `Signature=`, `Credential=` and
/// `X-Amz-Security-Token` that might be echoed in an error.
fn scrub_shapes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 24)].iter().collect();
        let key_id = ["AKIA", "ASIA"].iter().any(|p| rest.starts_with(p))
            && chars.len() >= i + 20
            && chars[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if key_id {
            out.push_str(REDACTED);
            i += 20;
            while i < chars.len() && (chars[i].is_ascii_uppercase() || chars[i].is_ascii_digit()) {
                i += 1;
            }
            continue;
        }
        let lower = rest.to_ascii_lowercase();
        if let Some(name) = ["signature=", "credential=", "x-amz-security-token"]
            .iter()
            .find(|n| lower.starts_with(**n))
        {
            out.push_str(&chars[i..i + name.len()].iter().collect::<String>());
            i += name.len();
            // Skip a separator (`: ` or `=`), then the value up to a delimiter.
            while i < chars.len() && matches!(chars[i], ':' | '=' | ' ') {
                out.push(chars[i]);
                i += 1;
            }
            let start = i;
            while i < chars.len() && !matches!(chars[i], ',' | ' ' | '&' | '"' | '\'' | '\n' | ';')
            {
                i += 1;
            }
            if i > start {
                out.push_str(REDACTED);
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_credentials_are_scrubbed() {
        let mut r = Redactor::default();
        r.add("wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY");
        r.add("FwoGZXIvYXdzEPLANTEDSESSIONTOKEN");
        let text = "denied for AKIAIOSFODNN7EXAMPLE with secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY \
                    token FwoGZXIvYXdzEPLANTEDSESSIONTOKEN; Authorization: AWS4-HMAC-SHA256 \
                    Credential=ASIAY34FZKBOKMUTVV7A/20261126/us-east-1/iam/aws4_request, \
                    SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";
        let clean = r.redact(text);
        for planted in [
            "AKIAIOSFODNN7EXAMPLE",
            "PLANTEDKEY",
            "PLANTEDSESSIONTOKEN",
            "ASIAY34FZKBOKMUTVV7A",
            "fe5f80f77d5fa3be",
        ] {
            assert!(!clean.contains(planted), "{planted} in {clean}");
        }
        assert!(clean.starts_with("denied for [REDACTED]"), "{clean}");
        assert_eq!(r.redact("an ordinary AKIA word"), "an ordinary AKIA word");
    }
}
