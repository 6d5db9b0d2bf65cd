//! CPU time spent on a measurement: the calling thread's, plus that of every process group this
//! process started (an evaluator under test runs as its own process group, `sh -c` and
//! whatever it starts). Read from Linux `/proc` in clock ticks (`USER_HZ`, 100 per second on
//! every Linux ABI); elsewhere there is no reading. `bench` divides decisions by it so that the
//! ratio of two implementations does not depend on what else the machine is running.
//!
//! This module knows nothing of cases or oracles.

/// Clock ticks per second in `/proc/<pid>/stat` (Linux's `USER_HZ`).
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU seconds (user + system) used so far by the calling thread and by the process groups
/// whose leader is a child of this process; `None` when `/proc` cannot be read.
pub fn cpu_seconds() -> Option<f64> {
    let own = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let own = parse_stat(&own)?;
    let me = std::process::id();
    let mut stats = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        // A process may end between listing and reading: skip it.
        if let Some(stat) = std::fs::read_to_string(entry.path().join("stat"))
            .ok()
            .as_deref()
            .and_then(parse_stat)
        {
            stats.push((pid, stat));
        }
    }
    let leaders: Vec<u32> = stats
        .iter()
        .filter(|(pid, s)| s.ppid == me && s.pgrp == *pid)
        .map(|(pid, _)| *pid)
        .collect();
    let children: u64 = stats
        .iter()
        .filter(|(_, s)| leaders.contains(&s.pgrp))
        .map(|(_, s)| s.ticks)
        .sum();
    Some((own.ticks + children) as f64 / TICKS_PER_SECOND)
}

/// The fields of `/proc/<pid>/stat` this module reads.
#[derive(Debug, PartialEq, Eq)]
struct Stat {
    ppid: u32,
    pgrp: u32,
    /// `utime + stime`.
    ticks: u64,
}

/// Reads a `stat` line: `pid (comm) state ppid pgrp ... utime stime ...`; `comm` may hold
/// spaces and parentheses, so the fields are counted from the last `)`.
fn parse_stat(line: &str) -> Option<Stat> {
    let rest = &line[line.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After `comm`: state(0) ppid(1) pgrp(2) session(3) tty(4) tpgid(5) flags(6) minflt(7)
    // cminflt(8) majflt(9) cmajflt(10) utime(11) stime(12).
    let number = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some(Stat {
        ppid: u32::try_from(number(1)?).ok()?,
        pgrp: u32::try_from(number(2)?).ok()?,
        ticks: number(11)? + number(12)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_is_read_past_a_command_name_with_spaces_and_parentheses() {
        let line = "4242 (py (3) x) S 17 4242 17 0 -1 4194560 900 0 0 0 250 31 0 0 20 0 1 0 1 2 3";
        assert_eq!(
            parse_stat(line),
            Some(Stat {
                ppid: 17,
                pgrp: 4242,
                ticks: 281
            })
        );
        assert_eq!(parse_stat("12 (x) S 1"), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_thread_s_own_work_is_counted() {
        let before = cpu_seconds().expect("/proc is readable");
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while started.elapsed() < std::time::Duration::from_millis(300) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let after = cpu_seconds().expect("/proc is readable");
        assert!(after >= before, "{before} then {after}");
        // 300 ms of wall clock spinning: some CPU time at least, however loaded the machine.
        assert!(after - before > 0.0, "{before} then {after}");
    }
}
