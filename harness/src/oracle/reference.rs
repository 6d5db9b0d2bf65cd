//! The reference evaluator as an [`crate::oracle::Oracle`]: `iamspec::scenario::ReferenceOracle`,
//! in process — the case's policies parsed once, each request decided, each answer given in the
//! shared answer type without serialising anything, a panic answered as "crashed".

pub use iamspec::scenario::ReferenceOracle;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::test_cases::{case, ALLOW_GET};
    use crate::oracle::{Answer, Oracle};
    use iamspec_format::Decision;

    #[test]
    fn the_reference_oracle_answers_in_the_shared_type() {
        let answers = ReferenceOracle.decide(&case(ALLOW_GET)).unwrap();
        let Answer::Decided(d) = &answers[0] else {
            panic!("{answers:?}")
        };
        assert_eq!(d.decision, Decision::Allowed);
        assert_eq!(d.matched.as_ref().unwrap()[0].policy, "P");
        assert_eq!(answers[1].decision(), Some(Decision::ImplicitDeny));
        let rejected = ReferenceOracle
            .decide(&case(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}"#))
            .unwrap();
        assert!(
            matches!(&rejected[0], Answer::Rejected(r) if r.error == "invalid-effect" && r.policy.as_deref() == Some("P"))
        );
    }
}
