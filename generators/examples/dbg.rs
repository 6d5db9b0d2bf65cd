//! Debug: decisions of a few cases.
use iamspec_generators::{generate_cases, Settings, Via, Outcome};
fn main() {
    let cases = generate_cases(&Settings::well_formed(), 7, 3000);
    let mut wild_allowed = 0;
    for c in &cases {
        if let Outcome::Decided(rs) = c.outcome(Via::Model) {
            for r in rs.iter().flatten() {
                for m in &r.matched {
                    let p = c.policies.all().find(|p| p.id == m.policy).unwrap();
                    let st = &p.model().unwrap().statements[m.statement];
                    if let iamspec::policy::ActionBlock::Action(a) = &st.action {
                        if a.iter().all(|x| x.contains('*') && x != "*") { wild_allowed += 1; }
                    }
                }
            }
        }
    }
    println!("matched statements with only wildcard actions: {wild_allowed}");
}
