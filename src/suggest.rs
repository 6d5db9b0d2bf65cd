//! "Did you mean ...?": the closest known spelling to a misspelled name.
//!
//! Used by policy messages (element names, `Effect` values, condition operators, principal
//! types) and by the command line (request flags). Only error paths call it, so its cost never
//! reaches a decision.

/// The candidate closest to `given` by edit distance (ignoring ASCII case), if it is close
/// enough to be a plausible misspelling: at most one edit for short names, at most a third of
/// the name's length for longer ones. A candidate equal to `given` ignoring case wins outright.
pub fn closest<'c>(given: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let given_lower = given.to_ascii_lowercase();
    let budget = (given.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&given_lower, &candidate.to_ascii_lowercase());
        if distance <= budget && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// ` (did you mean `X`?)` for the closest candidate, or nothing.
pub fn hint<'c>(given: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    closest(given, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance in characters (insertions, deletions, substitutions; a swap of two
/// neighbours counts as one edit, as in Damerau's restricted distance).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("efect", "effect"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn close_names_are_suggested_far_ones_are_not() {
        let elements = ["Sid", "Effect", "Action", "Resource", "Condition"];
        assert_eq!(closest("Efect", elements), Some("Effect"));
        assert_eq!(closest("Actions", elements), Some("Action"));
        assert_eq!(closest("resource", elements), Some("Resource"));
        assert_eq!(closest("Banana", elements), None);
        assert_eq!(
            closest("StringEqual", ["StringEquals", "StringLike"]),
            Some("StringEquals")
        );
        assert_eq!(hint("Alow", ["Allow", "Deny"]), " (did you mean `Allow`?)");
        assert_eq!(hint("Permit", ["Allow", "Deny"]), "");
    }
}
